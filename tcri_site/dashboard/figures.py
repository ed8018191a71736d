"""The project lead's figures. Each is a small table (plus optional bars) built from a
fixed number of aggregate queries, so the dashboard costs the same whatever the data size.

Figures that read another app's models look the models up at run time: when an app has not
shipped its models yet, its figure says so instead of breaking the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tcri_site.members.models import Membership, Organisation, Region, Role, Volet

PAGE_ROWS = 25  # rows shown on the page for list-like figures; the CSV has them all


@dataclass
class Figure:
    key: str
    title: str
    description: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    # (label, value) pairs drawn as bars; the table above carries the same numbers.
    bars: list[tuple[str, int]] = field(default_factory=list)
    bar_unit: str = ""
    links: list[str] = field(default_factory=list)  # optional link for each row's first cell
    total_rows: int | None = None  # when the page shows fewer rows than exist
    available: bool = True
    unavailable_reason: str = ""

    @property
    def bar_max(self) -> int:
        return max((value for _label, value in self.bars), default=0)

    @property
    def bar_items(self) -> list[dict]:
        top = self.bar_max or 1
        return [
            {"label": label, "value": value, "percent": round(100 * value / top, 1)}
            for label, value in self.bars
        ]

    @property
    def table_rows(self) -> list[dict]:
        return [
            {
                "head": row[0],
                "cells": row[1:],
                "link": self.links[i] if i < len(self.links) else "",
            }
            for i, row in enumerate(self.rows)
        ]

    @property
    def hidden_rows(self) -> int:
        return max(0, (self.total_rows or 0) - len(self.rows))


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _unavailable(key: str, title: str, app_name: str) -> Figure:
    return Figure(
        key=key,
        title=title,
        available=False,
        unavailable_reason=_(
            "Cette figure n'est pas encore disponible : le module « %(app)s » n'est pas installé."
        )
        % {"app": app_name},
    )


# --- periods --------------------------------------------------------------------------


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def last_quarters(today: date, count: int = 4) -> list[tuple[int, int]]:
    year, quarter = quarter_of(today)
    quarters = []
    for _i in range(count):
        quarters.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(quarters))


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s T%(quarter)s") % {"year": year, "quarter": quarter}


def quarter_start(year: int, quarter: int) -> datetime:
    naive = datetime(year, 3 * (quarter - 1) + 1, 1)
    return timezone.make_aware(naive)


def last_months(today: date, count: int = 12) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


# --- figures --------------------------------------------------------------------------


def demands_by_state(limit: int | None = PAGE_ROWS) -> Figure:
    Demand = _model("advocacy", "Demand")
    title = _("Revendications par état")
    if Demand is None:
        return _unavailable("revendications", title, "advocacy")
    from advocacy.models import DemandState

    counts = dict(Demand.objects.values_list("state").annotate(n=Count("pk")).order_by())
    rows = [[label, counts.get(value, 0)] for value, label in DemandState.choices]
    total = sum(r[1] for r in rows)
    return Figure(
        key="revendications",
        title=title,
        description=_("Toutes les revendications, brouillons compris, selon leur état actuel."),
        columns=[_("État"), _("Revendications")],
        rows=[*rows, [_("Total"), total]],
        bars=[(str(r[0]), r[1]) for r in rows],
        bar_unit=_("revendications"),
    )


def _participation_queryset(since: datetime, until: datetime):
    Registration = _model("trainings", "Registration")
    from trainings.models import RegistrationStatus, SessionStatus

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
    if _model("trainings", "Registration") is None:
        return _unavailable(key, title, "trainings")
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
    if figure.available:
        figure.columns[0] = _("Région")
        # The "unknown" row only when it has someone in it.
        if figure.rows[-2][-1] == 0:
            figure.rows.pop(-2)
            figure.bars.pop()
    return figure


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
    if figure.available:
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


def participation_by_month(now=None) -> Figure:
    key, title = "participation-mois", _("Participation aux formations par mois")
    if _model("trainings", "Registration") is None:
        return _unavailable(key, title, "trainings")
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


def organisations_without_delegate(limit: int | None = PAGE_ROWS) -> Figure:
    delegate = Membership.objects.filter(
        organisation=OuterRef("pk"), role=Role.DELEGUE, is_active=True
    )
    substitute = Membership.objects.filter(
        organisation=OuterRef("pk"), role=Role.SUBSTITUT, is_active=True
    )
    qs = (
        Organisation.objects.filter(is_active=True, pasi_participant=True)
        .annotate(has_delegate=Exists(delegate), has_substitute=Exists(substitute))
        .filter(has_delegate=False)
        .order_by("name")
    )
    total = qs.count()
    shown = list(qs[:limit] if limit else qs)
    yes, no = _("oui"), _("non")
    return Figure(
        key="organismes-sans-delegue",
        title=_("Organismes sans délégué·e"),
        description=_("Organismes actifs participant au PASI qui n'ont pas de délégué·e au forum."),
        columns=[_("Organisme"), _("Région"), _("Substitut·e"), _("Courriel de contact")],
        rows=[
            [o.name, o.get_region_display(), yes if o.has_substitute else no, o.contact_email]
            for o in shown
        ],
        links=[o.get_absolute_url() for o in shown],
        total_rows=total,
    )


def upcoming_sessions(limit: int | None = PAGE_ROWS, now=None) -> Figure:
    key, title = "seances-a-venir", _("Séances de formation à venir")
    TrainingSession = _model("trainings", "TrainingSession")
    if TrainingSession is None:
        return _unavailable(key, title, "trainings")
    from trainings.models import RegistrationStatus, SessionStatus

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


ACTIVITY_DAYS = 30


def active_spaces(limit: int | None = 10, now=None) -> Figure:
    key, title = "espaces-actifs", _("Espaces d'échange les plus actifs")
    Space = _model("forum", "Space")
    if Space is None or _model("forum", "Message") is None:
        return _unavailable(key, title, "forum")
    now = now or timezone.now()
    since = now - timedelta(days=ACTIVITY_DAYS)
    recent = Q(
        threads__messages__created_at__gte=since,
        threads__messages__deleted_at__isnull=True,
        threads__messages__hidden_at__isnull=True,
    )
    qs = (
        Space.objects.filter(is_active=True)
        .annotate(
            messages_recent=Count("threads__messages", filter=recent),
            authors_recent=Count("threads__messages__author", filter=recent, distinct=True),
            threads_recent=Count("threads", filter=recent, distinct=True),
        )
        .order_by("-messages_recent", "name")
    )
    shown = list(qs[:limit] if limit else qs)
    return Figure(
        key=key,
        title=title,
        description=_(
            "Messages publiés (ni supprimés ni masqués) au cours des %(days)s derniers jours."
        )
        % {"days": ACTIVITY_DAYS},
        columns=[_("Espace"), _("Messages"), _("Fils actifs"), _("Personnes")],
        rows=[[s.name, s.messages_recent, s.threads_recent, s.authors_recent] for s in shown],
        bars=[(s.name, s.messages_recent) for s in shown],
        bar_unit=_("messages"),
        links=[s.get_absolute_url() for s in shown],
        total_rows=Space.objects.filter(is_active=True).count() if limit else None,
    )


FIGURES = {
    "revendications": demands_by_state,
    "participation-mois": participation_by_month,
    "participation-regions": participation_by_region,
    "participation-volets": participation_by_volet,
    "seances-a-venir": upcoming_sessions,
    "organismes-sans-delegue": organisations_without_delegate,
    "espaces-actifs": active_spaces,
}


def all_figures() -> list[Figure]:
    return [build() for build in FIGURES.values()]


def full_figure(key: str) -> Figure | None:
    """The figure with every row (for CSV export), or None for an unknown key."""
    build = FIGURES.get(key)
    if build is None:
        return None
    if key in {"revendications", "participation-mois", "participation-regions", "participation-volets"}:
        return build()
    return build(limit=None)
