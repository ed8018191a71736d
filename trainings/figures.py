"""The trainings' figures on the project lead's dashboard (``tcri_site.dashboard``):
participation by region, volet and month, and the fill rate of upcoming sessions."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tcri_site.dashboard.periods import (
    last_months,
    last_quarters,
    quarter_label,
    quarter_of,
    quarter_start,
)
from tcri_site.dashboard.registry import PAGE_ROWS, Figure, register
from tcri_site.members.models import Region, Volet
from trainings.models import Registration, RegistrationStatus, SessionStatus, TrainingSession


def _participation_queryset(since: datetime, until: datetime):
    return (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            session__starts_at__gte=since,
            session__starts_at__lt=until,
        )
        .exclude(session__status=SessionStatus.CANCELLED)
        .exclude(attended=False)
    )


PARTICIPATION_NOTE = gettext_lazy(
    "Participation : inscriptions confirmées aux séances commencées (non annulées), moins les "
    "absences notées. Le trimestre et le mois en cours s'arrêtent à aujourd'hui."
)


def _participation_by(key: str, title: str, group_field: str, labels: list[tuple], now) -> Figure:
    quarters = last_quarters(timezone.localdate(now))
    since = quarter_start(*quarters[0])
    data = (
        _participation_queryset(since, now)
        .annotate(month=TruncMonth("session__starts_at"))
        .values_list("month", group_field)
        .annotate(n=Count("pk"))
        .order_by()
    )
    table: dict = {}
    for month, group, n in data:
        month_day = month.date() if isinstance(month, datetime) else month
        bucket = quarter_of(month_day)
        table.setdefault(group, {}).setdefault(bucket, 0)
        table[group][bucket] += n
    rows, bars = [], []
    for value, label in labels:
        counts = [table.get(value, {}).get(q, 0) for q in quarters]
        rows.append([label, *counts, sum(counts)])
        bars.append((str(label), sum(counts)))
    totals = [sum(r[i] for r in rows) for i in range(1, len(quarters) + 2)]
    return Figure(
        key=key,
        title=title,
        description=str(PARTICIPATION_NOTE),
        columns=[_("Groupe"), *[quarter_label(*q) for q in quarters], _("Total")],
        rows=[*rows, [_("Total"), *totals]],
        bars=bars,
        bar_unit=_("participations"),
    )


@register("participation-regions", order=30)
def participation_by_region(now=None) -> Figure:
    now = now or timezone.now()
    labels = [*Region.choices, (None, _("Organisme inconnu"))]
    figure = _participation_by(
        "participation-regions",
        _("Participation aux formations par région"),
        "organisation__region",
        labels,
        now,
    )
    figure.columns[0] = _("Région")
    # The "unknown" row only when it has someone in it.
    if figure.rows[-2][-1] == 0:
        figure.rows.pop(-2)
        figure.bars.pop()
    return figure


@register("participation-volets", order=40)
def participation_by_volet(now=None) -> Figure:
    now = now or timezone.now()
    labels = [(v.number, v.short_label) for v in Volet.objects.all()]
    labels.append((None, _("Sans volet")))
    figure = _participation_by(
        "participation-volets",
        _("Participation aux formations par volet"),
        "session__training__volets",
        labels,
        now,
    )
    figure.columns[0] = _("Volet")
    figure.description += " " + _(
        "Une formation rattachée à plusieurs volets compte dans chacun : le total des "
        "volets peut dépasser le nombre de participations."
    )
    figure.rows[-1][0] = _("Total des volets")
    if figure.rows[-2][-1] == 0:
        figure.rows.pop(-2)
        figure.bars.pop()
    return figure


@register("participation-mois", order=20)
def participation_by_month(now=None) -> Figure:
    key, title = "participation-mois", _("Participation aux formations par mois")
    now = now or timezone.now()
    months = last_months(timezone.localdate(now))
    since = timezone.make_aware(datetime(months[0][0], months[0][1], 1))
    data = (
        _participation_queryset(since, now)
        .annotate(month=TruncMonth("session__starts_at"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {}
    for month, n in data:
        month_day = month.date() if isinstance(month, datetime) else month
        counts[(month_day.year, month_day.month)] = counts.get((month_day.year, month_day.month), 0) + n
    rows = []
    for year, month in months:
        label = date_format(date(year, month, 1), "YEAR_MONTH_FORMAT")
        rows.append([label, counts.get((year, month), 0)])
    return Figure(
        key=key,
        title=title,
        description=str(PARTICIPATION_NOTE),
        columns=[_("Mois"), _("Participations")],
        rows=[*rows, [_("Total"), sum(r[1] for r in rows)]],
        bars=[(r[0], r[1]) for r in rows],
        bar_unit=_("participations"),
    )


@register("seances-a-venir", order=50, paged=True)
def upcoming_sessions(limit: int | None = PAGE_ROWS, now=None) -> Figure:
    key, title = "seances-a-venir", _("Séances de formation à venir")
    now = now or timezone.now()
    qs = (
        TrainingSession.objects.filter(status=SessionStatus.PLANNED, starts_at__gte=now)
        .select_related("training")
        .annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        )
        .order_by("starts_at", "pk")
    )
    total = TrainingSession.objects.filter(status=SessionStatus.PLANNED, starts_at__gte=now).count()
    shown = list(qs[:limit] if limit else qs)
    rows, bars, links = [], [], []
    for s in shown:
        rate = round(100 * s.confirmed / s.capacity) if s.capacity else 0
        when = date_format(timezone.localtime(s.starts_at), "DATETIME_FORMAT")
        rows.append([s.training.title, when, s.capacity, s.confirmed, s.waiting, f"{rate} %"])
        bars.append((f"{s.training.title} — {when}", rate))
        links.append(s.get_absolute_url())
    return Figure(
        key=key,
        title=title,
        description=_("Taux de remplissage : inscriptions confirmées sur le nombre de places."),
        columns=[
            _("Formation"),
            _("Date"),
            _("Places"),
            _("Confirmées"),
            _("Liste d'attente"),
            _("Taux de remplissage"),
        ],
        rows=rows,
        bars=bars,
        bar_unit="%",
        links=links,
        total_rows=total,
    )
