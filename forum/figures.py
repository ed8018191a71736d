"""The exchange spaces' figures on the project lead's dashboard (``tcri_site.dashboard``)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Space
from tcri_site.dashboard.registry import Figure, register

ACTIVITY_DAYS = 30


@register("espaces-actifs", order=70, paged=True)
def active_spaces(limit: int | None = 10, now=None) -> Figure:
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
        key="espaces-actifs",
        title=_("Espaces d'échange les plus actifs"),
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
