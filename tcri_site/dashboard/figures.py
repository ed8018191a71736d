"""The foundation's own dashboard figures (organisations and memberships).

The apps' figures live in their ``figures.py`` (see ``tcri_site.dashboard.registry``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from tcri_site.dashboard.registry import PAGE_ROWS, Figure, register
from tcri_site.members.models import Membership, Organisation, Role


@register("organismes-sans-delegue", order=60, paged=True)
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
