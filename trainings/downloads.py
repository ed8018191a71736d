"""What the trainings app has the worker prepare (tcri_site.exports): the participation
report when it is long, and the zip of every attendee's certificate of one session."""

from __future__ import annotations

import zipfile
from datetime import date

from django.utils.translation import gettext as _

from tcri_site.exports.registry import CsvKind, DownloadKind, register


def _dates(arguments):
    return (
        date.fromisoformat(arguments["du"]) if arguments.get("du") else None,
        date.fromisoformat(arguments["au"]) if arguments.get("au") else None,
    )


def _participation_count(arguments) -> int:
    from trainings.exports import participation_count

    return participation_count(arguments.get("par", "organisation"), *_dates(arguments))


def _participation_header(arguments):
    from trainings.exports import participation_header
    from trainings.forms import ReportForm

    dimension = arguments.get("par", "organisation")
    return participation_header(str(dict(ReportForm.DIMENSIONS).get(dimension, dimension)))


def _participation_rows(arguments):
    from trainings.exports import participation, participation_rows

    return participation_rows(participation(arguments.get("par", "organisation"), *_dates(arguments)))


register(CsvKind(
    name="trainings.participation",
    permission="trainings.view_reports",
    count=_participation_count,
    header=_participation_header,
    rows=_participation_rows,
    filename=lambda arguments: f"participation-{arguments.get('par', 'organisation')}.csv",
))


def _attended(arguments):
    from trainings.models import Registration, RegistrationStatus

    return (
        Registration.objects.filter(session_id=arguments["session"], status=RegistrationStatus.CONFIRMED, attended=True)
        .select_related("user", "session__training")
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _session(arguments):
    from trainings.models import TrainingSession

    return TrainingSession.objects.get(pk=arguments["session"])


def _write_certificates(arguments, out, step) -> None:
    from trainings.services import certificate_pdf

    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if not _attended(arguments).exists():
            archive.writestr("LISEZMOI.txt", _("Aucune présence n'est enregistrée pour cette séance."))
        for registration in _attended(arguments).iterator(chunk_size=100):
            name = "-".join(filter(None, [registration.user.last_name, registration.user.first_name])) or "personne"
            safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name)
            archive.writestr(f"attestation-{safe}-{registration.pk}.pdf", certificate_pdf(registration))
            step(1)


register(DownloadKind(
    name="trainings.session_certificates",
    permission="trainings.download_session_certificates",
    permission_object=_session,
    count=lambda arguments: _attended(arguments).count(),
    write=_write_certificates,
    filename=lambda arguments: f"attestations-seance-{arguments['session']}.zip",
    content_type="application/zip",
))
