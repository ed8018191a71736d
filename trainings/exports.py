"""Participation figures for the reports page and its CSV export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tcri_site.members.models import VOLET_LABELS, Region
from tcri_site.spreadsheets import csv_bytes
from trainings.models import Registration, RegistrationStatus

FIELDS = {
    "organisation": "organisation__name",
    "region": "organisation__region",
    "volet": "organisation__volets__number",
    "statut": "session__training__migration_statuses__name_fr",
}


@dataclass
class Row:
    label: str
    registered: int
    attended: int

    @property
    def rate(self) -> int:
        return round(100 * self.attended / self.registered) if self.registered else 0


def _grouped(dimension: str, start: date | None, end: date | None):
    field = FIELDS.get(dimension, FIELDS["organisation"])
    qs = Registration.objects.filter(status=RegistrationStatus.CONFIRMED)
    tz = timezone.get_current_timezone()
    if start:
        qs = qs.filter(session__starts_at__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        qs = qs.filter(session__starts_at__lte=datetime.combine(end, time.max, tzinfo=tz))
    return field, (
        qs.values(field)
        .annotate(registered=Count("pk"), attended=Count("pk", filter=Q(attended=True)))
        .order_by("-registered", field)
    )


def participation_count(dimension: str, start: date | None = None, end: date | None = None) -> int:
    """How many rows ``participation`` gives (one query, no row fetched)."""
    return _grouped(dimension, start, end)[1].count()


def participation(dimension: str, start: date | None = None, end: date | None = None) -> list[Row]:
    """Confirmed registrations and attendance grouped by ``dimension``; one query."""
    field, rows = _grouped(dimension, start, end)
    regions = dict(Region.choices)
    result = []
    for row in rows:
        key = row[field]
        if key is None:
            label = _("Non précisé")
        elif dimension == "region":
            label = str(regions.get(key, key))
        elif dimension == "volet":
            label = f"{key}. {VOLET_LABELS.get(key, key)}"
        else:
            label = str(key)
        result.append(Row(label, row["registered"], row["attended"]))
    return result


def participation_header(dimension_label: str) -> list:
    return [dimension_label, _("Inscriptions confirmées"), _("Présences"), _("Taux de présence (%)")]


def participation_rows(rows: list[Row]):
    return ([row.label, row.registered, row.attended, row.rate] for row in rows)


def participation_csv(rows: list[Row], dimension_label: str) -> bytes:
    """The spreadsheet format of ``tcri_site.spreadsheets``: Excel (fr-CA) keeps accents and columns."""
    return csv_bytes(participation_header(dimension_label), participation_rows(rows))
