"""What the forum contributes to the home page and to an organisation's page."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from advocacy.models import Ballot, BallotKind, Demand, MotionStatus
from advocacy.models.pages import source_updates
from advocacy.services import upcoming_session
from tcri_site.i18n import localized_pages
from tcri_site.sections import Section


def home_sections(request) -> list[Section]:
    sections = []
    updates = localized_pages(source_updates()[:3])
    sections.append(
        Section(
            title=_("Suivi de l'implantation"),
            template="advocacy/sections/updates.html",
            context={"updates": updates},
            order=30,
            more_url=reverse("advocacy:updates"),
        )
    )
    if request.user.has_perm("advocacy.see_votes_awaiting"):
        from advocacy.services.online import votes_awaiting

        awaiting = list(votes_awaiting(request.user)[:5])
        if awaiting:
            sections.append(
                Section(
                    title=_("À voter"),
                    template="advocacy/sections/votes_awaiting.html",
                    context={"motions": awaiting},
                    order=29,
                    more_url=reverse("advocacy:votes_awaiting"),
                )
            )
    if request.user.has_perm("advocacy.view_session"):
        session = upcoming_session()
        sections.append(
            Section(
                title=_("Prochaine séance du forum"),
                template="advocacy/sections/next_session.html",
                context={"session": session, "agenda": list(session.agenda_items.all()[:8]) if session else []},
                order=31,
                more_url=reverse("advocacy:index"),
            )
        )
    return sections


def organisation_sections(request, organisation) -> list[Section]:
    from advocacy.views import visible_demands

    demands = list(
        visible_demands(request.user)
        .filter(Q(proposing_organisation=organisation) | Q(cosigners=organisation))
        .distinct()
        .order_by("-updated_at")[:10]
    )
    for demand in demands:
        demand.proposed_here = demand.proposing_organisation_id == organisation.pk
    ballots = list(
        Ballot.objects.filter(
            organisation=organisation, motion__ballot_kind=BallotKind.ROLL_CALL, motion__status=MotionStatus.CLOSED
        )
        .select_related("motion", "motion__session")
        .order_by("-motion__closed_at")[:10]
    )
    if not demands and not ballots:
        return []
    return [
        Section(
            title=_("Au Forum TCRI-PASI"),
            template="advocacy/sections/organisation.html",
            context={"demands": demands, "ballots": ballots, "organisation": organisation},
            order=40,
        )
    ]


__all__ = ["home_sections", "organisation_sections", "Demand"]
