"""A motion with a double majority: closed with its second condition, explained on the page."""

import pytest

from advocacy import services
from advocacy.models import DemandState, Motion, MotionResult, SecondMajority
from tcri_site.members.models import Volet
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db


def _vote(make_orgs, forum_session, project_lead, regions, choices, second, volets_of=None, demand_volets=()):
    rows = make_orgs(len(choices))
    for (org, _d, _s), region in zip(rows, regions, strict=True):
        org.region = region
        org.save(update_fields=["region"])
    for index, numbers in (volets_of or {}).items():
        rows[index][0].volets.set(Volet.objects.filter(number__in=numbers))
    demand = make_demand(rows[0][0], state=DemandState.AGENDA)
    demand.volets.set(Volet.objects.filter(number__in=demand_volets))
    demand.save()
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P", second_majority=second)
    services.do_open_motion(actor=project_lead, motion=motion)
    for (_org, delegate, _s), choice in zip(rows, choices, strict=True):
        services.do_cast_ballot(actor=delegate, motion=motion, choice=choice)
    motion = services.do_close_motion(actor=project_lead, motion=motion)
    demand.refresh_from_db()
    return motion, demand


def test_a_majority_of_organisations_from_one_region_is_not_enough(make_orgs, forum_session, project_lead):
    motion, demand = _vote(
        make_orgs, forum_session, project_lead,
        ["06", "06", "06", "03", "05"], ["for", "for", "for", "against", "against"], SecondMajority.REGIONS,
    )
    assert (motion.count_for, motion.count_against) == (3, 2)
    assert motion.result == MotionResult.NO_SECOND_MAJORITY
    assert motion.second_majority_detail == {
        "kind": "regions", "held": False, "with_majority": 1, "represented": 3, "pour": 0, "contre": 0,
    }
    assert demand.state == DemandState.REJECTED


def test_the_double_majority_holds_when_most_regions_are_carried(make_orgs, forum_session, project_lead, client):
    motion, demand = _vote(
        make_orgs, forum_session, project_lead,
        ["06", "03", "05", "05", "05"], ["for", "for", "against", "against", "for"], SecondMajority.REGIONS,
    )
    # For 3 to 2, carried in Montréal and Capitale-Nationale, lost in Estrie (1 for, 2 against).
    assert motion.result == MotionResult.ADOPTED and motion.second_majority_detail["held"] is True
    assert demand.state == DemandState.ADOPTED
    client.force_login(project_lead)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "majorité pour dans 2 des 3 régions représentées" in page and "condition remplie" in page


def test_the_volets_condition_counts_the_organisations_funded_under_them(make_orgs, forum_session, project_lead):
    motion, demand = _vote(
        make_orgs, forum_session, project_lead,
        ["06"] * 5, ["for", "for", "for", "against", "against"], SecondMajority.VOLETS,
        volets_of={3: [2], 4: [2], 0: [1]}, demand_volets=[2],
    )
    assert motion.result == MotionResult.NO_SECOND_MAJORITY
    assert (motion.second_majority_detail["pour"], motion.second_majority_detail["contre"]) == (0, 2)


def test_without_a_second_condition_nothing_changes(make_orgs, forum_session, project_lead):
    motion, _demand = _vote(
        make_orgs, forum_session, project_lead, ["06", "06", "06", "03", "05"], ["for", "for", "for", "against", "against"], SecondMajority.NONE,
    )
    assert motion.result == MotionResult.ADOPTED and motion.second_majority_detail == {}
