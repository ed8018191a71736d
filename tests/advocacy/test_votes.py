"""One ballot per organisation: who may cast it, when, and what the record keeps."""

import pytest
from wagtail.models import Revision

from advocacy import services
from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Attendance,
    Ballot,
    BallotKind,
    Demand,
    DemandState,
    Motion,
    MotionResult,
    MotionStatus,
    Threshold,
)
from advocacy.services import InvalidInput, InvalidState, NotAllowed
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db


def test_delegate_casts_changes_and_resubmits(open_motion, delegate):
    result = services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    assert result.changed and result.ballot.choice == "for"
    result = services.do_cast_ballot(actor=delegate, motion=open_motion, choice="against")
    assert result.changed and result.ballot.choice == "against"
    again = services.do_cast_ballot(actor=delegate, motion=open_motion, choice="against")
    assert not again.changed
    assert Ballot.objects.filter(motion=open_motion).count() == 1
    # Casting counts the organisation present at the session.
    assert Attendance.objects.filter(session=open_motion.session, organisation=delegate.organisation).exists()


def test_substitute_refused_once_delegate_voted(open_motion, delegate, substitute):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    with pytest.raises(NotAllowed, match="délégué·e a déjà voté"):
        services.do_cast_ballot(actor=substitute, motion=open_motion, choice="against")
    assert Ballot.objects.get(motion=open_motion).choice == "for"


def test_delegate_refused_once_substitute_voted(open_motion, delegate, substitute):
    services.do_cast_ballot(actor=substitute, motion=open_motion, choice="abstain")
    with pytest.raises(NotAllowed, match="substitut·e a déjà voté"):
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    ballot = Ballot.objects.get(motion=open_motion)
    assert ballot.choice == "abstain" and ballot.cast_by == substitute


def test_non_representatives_refused(open_motion, member, project_lead, outsider):
    for user in (member, project_lead, outsider):
        with pytest.raises(NotAllowed):
            services.do_cast_ballot(actor=user, motion=open_motion, choice="for")
    assert not Ballot.objects.exists()


def test_other_organisation_and_unknown_choice_refused(open_motion, delegate, other_organisation):
    with pytest.raises(NotAllowed):
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for", organisation=other_organisation)
    with pytest.raises(InvalidInput):
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="peut-être")
    assert not Ballot.objects.exists()


def test_not_open_and_closed_refused(forum_session, organisation, delegate, project_lead):
    demand = make_demand(organisation, state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P")
    with pytest.raises(InvalidState, match="pas encore ouvert"):
        services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    services.do_open_motion(actor=project_lead, motion=motion)
    services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=motion)
    with pytest.raises(InvalidState, match="fermé"):
        services.do_cast_ballot(actor=delegate, motion=motion, choice="against")
    assert Ballot.objects.get(motion=motion).choice == "for"


def test_only_the_chair_opens_and_closes(forum_session, organisation, delegate, project_lead):
    demand = make_demand(organisation, state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P")
    with pytest.raises(NotAllowed):
        services.do_open_motion(actor=delegate, motion=motion)
    services.do_open_motion(actor=project_lead, motion=motion)
    with pytest.raises(InvalidState):
        services.do_open_motion(actor=project_lead, motion=motion)
    with pytest.raises(NotAllowed):
        services.do_close_motion(actor=delegate, motion=motion)


def test_close_records_tally_quorum_and_decides_demand(make_orgs, forum_session, project_lead):
    # Only these organisations exist, so quorum is a majority of them.
    rows = make_orgs(5)
    demand = make_demand(rows[0][0], state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P", threshold=Threshold.TWO_THIRDS)
    services.do_open_motion(actor=project_lead, motion=motion)
    demand.refresh_from_db()
    assert demand.state == DemandState.VOTE
    for (_org, delegate, _sub), choice in zip(rows, ["for", "for", "against", "abstain"], strict=False):
        services.do_cast_ballot(actor=delegate, motion=motion, choice=choice)
    motion = services.do_close_motion(actor=project_lead, motion=motion)
    assert (motion.count_for, motion.count_against, motion.count_abstain) == (2, 1, 1)
    assert motion.present_count == 4 and motion.quorum_required == 3 and motion.quorum_met
    assert motion.result == MotionResult.ADOPTED  # 2 of 3 votes cast = two thirds
    demand.refresh_from_db()
    assert demand.state == DemandState.ADOPTED
    state = services.motion_state(motion)
    assert state["counts"] == {"for": 2, "against": 1, "abstain": 1}
    assert state["result"] == "adopted" and state["quorum"]["met"]


def test_no_quorum_rejects(make_orgs, forum_session, project_lead):
    rows = make_orgs(5)
    demand = make_demand(rows[0][0], state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P")
    services.do_open_motion(actor=project_lead, motion=motion)
    services.do_cast_ballot(actor=rows[0][1], motion=motion, choice="for")
    motion = services.do_close_motion(actor=project_lead, motion=motion)
    assert motion.result == MotionResult.NO_QUORUM and motion.quorum_met is False
    demand.refresh_from_db()
    assert demand.state == DemandState.REJECTED


def test_amendments_are_voted_before_the_main_motion_and_merged(make_orgs, forum_session, project_lead):
    rows = make_orgs(3)
    demand = make_demand(rows[0][0], state=DemandState.AGENDA, text="Que le MIFI finance des ententes de trois ans.")
    amendment = services.do_propose_amendment(
        actor=rows[1][1], demand=demand, proposed_text="Que le MIFI finance des ententes de cinq ans.", rationale="Plus stable."
    )
    amend_motion = Motion.objects.create(session=forum_session, demand=demand, amendment=amendment, title="Amendement", sort_order=1)
    main = Motion.objects.create(session=forum_session, demand=demand, title="Principale", sort_order=2)
    with pytest.raises(InvalidState, match="amendements sont votés avant"):
        services.do_open_motion(actor=project_lead, motion=main)
    revisions_before = demand.revisions.count()
    services.do_open_motion(actor=project_lead, motion=amend_motion)
    for _org, delegate, _sub in rows:
        services.do_cast_ballot(actor=delegate, motion=amend_motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=amend_motion)
    amendment.refresh_from_db()
    demand.refresh_from_db()
    assert amendment.status == AmendmentStatus.ADOPTED
    assert demand.text == "Que le MIFI finance des ententes de cinq ans."
    assert demand.revisions.count() == revisions_before + 1
    assert amendment.merged_revision.content["text"] == demand.text
    services.do_open_motion(actor=project_lead, motion=main)
    main.refresh_from_db()
    assert main.text == "Que le MIFI finance des ententes de cinq ans."


def test_rejected_amendment_leaves_text(make_orgs, forum_session, project_lead):
    rows = make_orgs(3)
    demand = make_demand(rows[0][0], state=DemandState.AGENDA, text="Texte initial.")
    amendment = services.do_propose_amendment(actor=rows[1][1], demand=demand, proposed_text="Texte changé.", rationale="r")
    motion = Motion.objects.create(session=forum_session, demand=demand, amendment=amendment, title="A")
    services.do_open_motion(actor=project_lead, motion=motion)
    for _org, delegate, _sub in rows:
        services.do_cast_ballot(actor=delegate, motion=motion, choice="against")
    services.do_close_motion(actor=project_lead, motion=motion)
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.REJECTED
    assert Demand.objects.get(pk=demand.pk).text == "Texte initial."


def test_http_vote_by_member_is_403_and_stores_nothing(client, open_motion, member):
    client.force_login(member)
    response = client.post(f"/forum-pasi/votes/{open_motion.pk}/", {"choice": "for"})
    assert response.status_code == 403
    assert "délégué·es et substitut·es" in response.content.decode()
    assert not Ballot.objects.exists()


def test_http_vote_by_delegate_and_refusals(client, open_motion, delegate, substitute):
    client.force_login(delegate)
    response = client.post(f"/forum-pasi/votes/{open_motion.pk}/", {"choice": "for"})
    assert response.status_code == 302
    page = client.get(f"/forum-pasi/votes/{open_motion.pk}/").content.decode()
    assert "Bulletin enregistré" in page and "Pour" in page
    # double submission: no-op
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/", {"choice": "for"}).status_code == 302
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/", {"choice": "n'importe"}).status_code == 400
    client.force_login(substitute)
    response = client.post(f"/forum-pasi/votes/{open_motion.pk}/", {"choice": "against"})
    assert response.status_code == 403
    assert "déjà voté" in response.content.decode()
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["for"]


def test_secret_ballot_hides_choices_roll_call_shows_them_at_close(open_motion, delegate, project_lead):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="against")
    open_motion.ballot_kind = BallotKind.ROLL_CALL
    open_motion.save(update_fields=["ballot_kind"])
    live = services.motion_state(open_motion)
    assert "roll_call" not in live and live["counts"]["against"] == 1
    closed = services.do_close_motion(actor=project_lead, motion=open_motion)
    assert services.motion_state(closed)["roll_call"] == [
        {"organisation": delegate.organisation.name, "choice": "against", "label": "Contre",
         "channel": "online", "channel_label": "En ligne", "proxy": False}
    ]
    closed.ballot_kind = BallotKind.SECRET
    state = services.motion_state(closed)
    assert "roll_call" not in state and state["counts"]["against"] == 1


def test_open_vote_notifies_representatives(forum_session, organisation, delegate, substitute, member, project_lead):
    from tcri_site.notifications.models import Notification

    demand = make_demand(organisation, state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P")
    services.do_open_motion(actor=project_lead, motion=motion)
    assert set(Notification.objects.filter(kind="vote").values_list("recipient_id", flat=True)) == {delegate.pk, substitute.pk}
    assert MotionStatus.OPEN == Motion.objects.get(pk=motion.pk).status
    assert Amendment.objects.count() == 0 and Revision.objects.exists()


def test_session_quorum_rule_overrides_the_default(make_orgs, forum_session, project_lead):
    rows = make_orgs(5)
    forum_session.quorum_override = 1
    forum_session.save()
    demand = make_demand(rows[0][0], state=DemandState.AGENDA)
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P")
    services.do_open_motion(actor=project_lead, motion=motion)
    services.do_cast_ballot(actor=rows[0][1], motion=motion, choice="for")
    motion = services.do_close_motion(actor=project_lead, motion=motion)
    assert motion.quorum_required == 1 and motion.quorum_met and motion.result == MotionResult.ADOPTED
