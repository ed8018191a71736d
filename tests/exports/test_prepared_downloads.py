"""Slow exports leave the request: above the threshold the worker writes the file to the
private storage, shows its progress, tells the person, serves it to them alone, and purges
it once expired."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from tcri_site.exports.models import DownloadStatus, PreparedDownload
from tcri_site.exports.services import build, purge_expired
from tcri_site.members.models import StaffRole
from tcri_site.notifications.models import Kind, Notification
from tcri_site.spreadsheets import read_csv
from tests.factories import OrganisationFactory, make_member, make_staff
from tests.mail.conftest import run_worker
from tests.trainings.conftest import make_session
from trainings import services
from trainings.models import Registration

pytestmark = pytest.mark.django_db(transaction=True)


def _held_session(training, people):
    session = make_session(training, capacity=len(people) + 1)
    for person in people:
        services.do_register(actor=person, person=person, session=session)
    type(session).objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


@pytest.fixture
def five_organisations(training):
    """Five organisations with one confirmed registration each, one of them named like a formula."""
    people = [make_member(OrganisationFactory(name=name)) for name in ("=HYPERLINK(1)", "Alpha", "Bêta", "Gamma", "Delta")]
    return _held_session(training, people)


def test_a_short_export_stays_direct(client, database_queue, project_lead, five_organisations, settings):
    settings.EXPORTS_ASYNC_ROWS = 10
    client.force_login(project_lead)
    response = client.get(reverse("trainings:reports_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert PreparedDownload.objects.count() == 0


def test_a_long_export_is_prepared_by_the_worker_notified_and_served_to_its_requester_only(
    client, database_queue, project_lead, five_organisations, settings
):
    settings.EXPORTS_ASYNC_ROWS = 3
    client.force_login(project_lead)
    response = client.get(reverse("trainings:reports_csv"), {"par": "organisation"})
    download = PreparedDownload.objects.get()
    assert response.status_code == 302 and response["Location"] == download.get_absolute_url()
    assert download.status == DownloadStatus.QUEUED
    assert DBTaskResult.objects.filter(task_path="tcri_site.exports.tasks.build_download").count() == 1

    # Before the worker: the page says it is waiting, the file is not there yet.
    page = client.get(download.get_absolute_url()).content.decode()
    assert "En attente" in page and "Actualiser la page" in page
    assert client.get(reverse("exports:progress", args=[download.pk])).json()["ready"] is False
    assert client.get(reverse("exports:file", args=[download.pk])).status_code == 404

    run_worker()
    download.refresh_from_db()
    assert download.status == DownloadStatus.READY
    assert (download.done, download.total) == (5, 5)
    assert download.expires_at > timezone.now() + timedelta(hours=47)
    # Stored in the private storage, which has no public URL.
    assert storages["private"].exists(download.file.name)
    with pytest.raises(ValueError):
        download.file.url  # noqa: B018
    state = client.get(reverse("exports:progress", args=[download.pk])).json()
    assert state["percent"] == 100 and state["ready"] and state["url"] == reverse("exports:file", args=[download.pk])

    notification = Notification.objects.get(recipient=project_lead, kind=Kind.DOWNLOAD)
    assert notification.url == download.get_absolute_url() and "Votre fichier est prêt" in notification.title

    response = client.get(reverse("exports:file", args=[download.pk]))
    assert response.status_code == 200
    rows = read_csv(b"".join(response.streaming_content))
    assert rows[0][0] == "Organisme" and len(rows) == 6
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]  # formula cells stay neutralised

    # Another person, even with the same rights, gets nothing; so does the requester once
    # they lost the right to the report.
    other_lead = make_staff(StaffRole.PROJECT_LEAD)
    client.force_login(other_lead)
    for name in ("status", "progress", "file"):
        assert client.get(reverse(f"exports:{name}", args=[download.pk])).status_code == 403
    client.force_login(make_member(OrganisationFactory()))
    assert client.get(reverse("exports:file", args=[download.pk])).status_code == 403


def test_progress_is_visible_while_the_worker_writes(database_queue, project_lead, five_organisations, settings):
    from tcri_site.exports import registry
    from tcri_site.exports.services import do_request_download

    seen = []
    kind = registry.get("trainings.participation")
    original = kind.write

    def watching_write(arguments, out, step):
        def watched_step(n=1):
            step(n)
            seen.append(PreparedDownload.objects.values_list("status", "done", "total").get())

        original(arguments, out, watched_step)

    settings.EXPORTS_ASYNC_ROWS = 0
    kind.write = watching_write
    try:
        download = do_request_download(actor=project_lead, kind="trainings.participation",
                                       arguments={"par": "organisation"}, title="Participation")
        import tcri_site.exports.services as exports_services

        exports_services.PROGRESS_EVERY_SECONDS, saved = 0, exports_services.PROGRESS_EVERY_SECONDS
        try:
            run_worker()
        finally:
            exports_services.PROGRESS_EVERY_SECONDS = saved
    finally:
        kind.write = original
    assert seen[0] == (DownloadStatus.RUNNING, 1, 5) and seen[-1] == (DownloadStatus.RUNNING, 5, 5)
    download.refresh_from_db()
    assert download.status == DownloadStatus.READY
    assert build(download.pk) == "skipped"  # a second run builds nothing more


def test_a_session_certificates_zip(client, database_queue, project_lead, training):
    people = [make_member(OrganisationFactory(), first_name=f"Personne{i}", last_name="Tremblay") for i in range(3)]
    session = _held_session(training, people)
    Registration.objects.filter(session=session, user__in=people[:2]).update(attended=True)
    client.force_login(people[0])
    assert client.post(reverse("trainings:session_certificates", args=[session.pk])).status_code == 403
    client.force_login(project_lead)
    response = client.post(reverse("trainings:session_certificates", args=[session.pk]))
    download = PreparedDownload.objects.get()
    assert response["Location"] == download.get_absolute_url()
    run_worker()
    response = client.get(reverse("exports:file", args=[download.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(name.endswith(".pdf") for name in names)
    texts = [" ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(n))).pages) for n in names]
    assert any("Personne0 Tremblay" in t for t in texts) and any("Personne1 Tremblay" in t for t in texts)
    assert not any("Personne2" in t for t in texts)  # absent: no certificate


def test_expired_downloads_are_purged(database_queue, project_lead, five_organisations, settings):
    from tcri_site.background.registry import jobs
    from tcri_site.exports.services import do_request_download

    settings.EXPORTS_ASYNC_ROWS = 0
    old = do_request_download(actor=project_lead, kind="trainings.participation", arguments={}, title="Ancien")
    fresh = do_request_download(actor=project_lead, kind="trainings.participation", arguments={}, title="Récent")
    run_worker()
    old.refresh_from_db()
    fresh.refresh_from_db()
    name = old.file.name
    assert storages["private"].exists(name)
    PreparedDownload.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "exports.purge_expired" in jobs()
    assert purge_expired() == 1
    assert not storages["private"].exists(name) and not PreparedDownload.objects.filter(pk=old.pk).exists()
    assert storages["private"].exists(fresh.file.name)


def test_a_deleted_requester_leaves_no_file(database_queue, project_lead, five_organisations, settings):
    from tcri_site.exports.services import do_request_download

    settings.EXPORTS_ASYNC_ROWS = 0
    download = do_request_download(actor=project_lead, kind="trainings.participation", arguments={}, title="Export")
    run_worker()
    download.refresh_from_db()
    name = download.file.name
    assert storages["private"].exists(name)
    project_lead.delete()
    assert not PreparedDownload.objects.exists() and not storages["private"].exists(name)
