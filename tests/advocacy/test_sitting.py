"""The sitting's services: projection, list of speakers, roll call; each action allowed
and refused by role (chair, délégué·e, substitut·e, membre, another organisation), nothing
stored when refused."""

from datetime import timedelta

import pytest
from django.utils import timezone

from advocacy import services
from advocacy.models import (
    AgendaItem,
    Amendment,
    Attendance,
    AttendanceChange,
    BallotKind,
    ForumSessionStatus,
    Motion,
    Projection,
    Speech,
    SpeechStatus,
)
from advocacy.services import projector, rollcall, speakers
from tcri_site.errors import Refusal
from tcri_site.members.models import Role
from tests.advocacy.conftest import make_demand
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(forum_session):
    return AgendaItem.objects.create(session=forum_session, sort_order=1, title="Point 1 : accueil")


@pytest.fixture
def other_delegate(other_organisation):
    return make_member(other_organisation, Role.DELEGUE)


def _refused(fn, **kwargs):
    with pytest.raises(Refusal) as info:
        fn(**kwargs)
    assert str(info.value.message)
    return info.value


# --- projection -----------------------------------------------------------------------

def test_chair_projects_an_item_then_a_motion_and_the_item_stays_current(forum_session, item, project_lead):
    services.do_project(actor=project_lead, session=forum_session, kind="item", agenda_item_id=item.pk)
    motion = Motion.objects.create(session=forum_session, title="Proposition A", text="Que X.", ballot_kind=BallotKind.SECRET)
    services.do_project(actor=project_lead, session=forum_session, kind="motion", motion_id=motion.pk)
    state = services.projector_state(forum_session)
    assert state["kind"] == "motion" and state["item"]["id"] == item.pk
    assert state["motion"]["title"] == "Proposition A" and state["motion"]["text"] == "Que X."
    # A secret vote's counts never reach the wall before it closes.
    assert state["motion"]["state"]["counts"] is None and state["speakers"]["item"] == item.pk


def test_projected_amendment_is_a_word_diff(forum_session, organisation, project_lead):
    demand = make_demand(organisation)
    amendment = Amendment.objects.create(
        demand=demand, organisation=organisation, base_text="Que les délais soient de dix jours.",
        proposed_text="Que les délais soient de cinq jours.", rationale="Plus court.",
    )
    motion = Motion.objects.create(session=forum_session, amendment=amendment, demand=demand, title="Amendement 1")
    services.do_project(actor=project_lead, session=forum_session, kind="motion", motion_id=motion.pk)
    diff = services.projector_state(forum_session)["motion"]["diff"]
    assert ["del", "dix"] in diff and ["ins", "cinq"] in diff


@pytest.mark.parametrize("who", ["delegate", "substitute", "member", "other_delegate"])
def test_only_the_chair_projects(request, forum_session, item, who):
    actor = request.getfixturevalue(who)
    refusal = _refused(services.do_project, actor=actor, session=forum_session, kind="item", agenda_item_id=item.pk)
    assert refusal.status == 403 and not Projection.objects.exists()


def test_projecting_another_sessions_motion_is_refused(forum_session, project_lead):
    other = type(forum_session).objects.create(title="Autre", starts_at=timezone.now(), ends_at=timezone.now() + timedelta(hours=1))
    motion = Motion.objects.create(session=other, title="Ailleurs")
    _refused(services.do_project, actor=project_lead, session=forum_session, kind="motion", motion_id=motion.pk)
    assert not Projection.objects.exists()


# --- list of speakers -----------------------------------------------------------------

def test_hands_points_of_order_reorder_floor_and_timer(item, delegate, substitute, other_delegate, project_lead):
    first = services.do_raise_hand(actor=delegate, agenda_item=item)
    second = services.do_raise_hand(actor=other_delegate, agenda_item=item)
    third = services.do_raise_hand(actor=substitute, agenda_item=item)
    order = services.do_raise_hand(actor=other_delegate, agenda_item=item, point_of_order=True)
    names = [row["id"] for row in services.speakers_state(item)["waiting"]]
    assert names == [order.pk, first.pk, second.pk, third.pk]
    assert services.speakers_state(item)["waiting"][0]["point_of_order"] is True

    services.do_move_speech(actor=project_lead, speech=third, direction="up")
    assert [r["id"] for r in services.speakers_state(item)["waiting"]] == [order.pk, first.pk, third.pk, second.pk]

    services.do_give_floor(actor=project_lead, speech=order)
    state = services.speakers_state(item)
    assert state["current"]["id"] == order.pk and state["current"]["started_at"] is None and state["limit"] == 180
    services.do_start_timer(actor=project_lead, agenda_item=item)
    started = services.speakers_state(item)["current"]["started_at"]
    assert started is not None
    services.do_give_floor(actor=project_lead, speech=first)  # ends the point of order
    order.refresh_from_db()
    assert order.status == SpeechStatus.DONE and order.ended_at is not None
    services.do_start_timer(actor=project_lead, agenda_item=item)
    services.do_stop_speech(actor=project_lead, agenda_item=item)
    assert services.speakers_state(item)["current"] is None

    totals = services.speaking_time_by_organisation(item.session)
    assert {row["organisation"].pk for row in totals} == {order.organisation_id, first.organisation_id}
    assert all(row["speeches"] == 1 and row["seconds"] >= 0 for row in totals)


def test_speaking_time_is_totalled_per_organisation(item, delegate, substitute, project_lead):
    now = timezone.now()
    speaker_list = speakers.speaker_list_for(item)
    for person, seconds in ((delegate, 90), (substitute, 45)):
        Speech.objects.create(
            speaker_list=speaker_list, organisation=person.active_membership.organisation, person=person,
            status=SpeechStatus.DONE, started_at=now, ended_at=now + timedelta(seconds=seconds),
        )
    [row] = services.speaking_time_by_organisation(item.session)
    assert row["speeches"] == 2 and row["seconds"] == 135


def test_a_hand_is_raised_once_and_lowered_by_its_owner(item, delegate, other_delegate):
    speech = services.do_raise_hand(actor=delegate, agenda_item=item)
    assert _refused(services.do_raise_hand, actor=delegate, agenda_item=item).code == "already_waiting"
    assert _refused(services.do_lower_hand, actor=other_delegate, speech=speech).status == 403
    services.do_lower_hand(actor=delegate, speech=speech)
    assert Speech.objects.get().status == SpeechStatus.WITHDRAWN and services.speakers_state(item)["waiting"] == []


@pytest.mark.parametrize("who", ["member", "project_lead", "administrator"])
def test_who_may_not_raise_a_hand(request, item, who):
    actor = request.getfixturevalue(who)
    assert _refused(services.do_raise_hand, actor=actor, agenda_item=item).status == 403
    assert not Speech.objects.exists()


@pytest.mark.parametrize("who", ["delegate", "substitute", "member"])
def test_only_the_chair_runs_the_list(request, item, who, other_delegate):
    actor = request.getfixturevalue(who)
    speech = services.do_raise_hand(actor=other_delegate, agenda_item=item)
    for fn, kwargs in (
        (services.do_give_floor, {"speech": speech}),
        (services.do_move_speech, {"speech": speech, "direction": "down"}),
        (services.do_start_timer, {"agenda_item": item}),
        (services.do_stop_speech, {"agenda_item": item}),
        (services.do_set_speaking_limit, {"agenda_item": item, "seconds": 60}),
    ):
        assert _refused(fn, actor=actor, **kwargs).status == 403
    speech.refresh_from_db()
    assert speech.status == SpeechStatus.WAITING and speakers.speaker_list_for(item).limit_seconds == 180


def test_limit_and_ended_session(item, delegate, project_lead):
    assert _refused(services.do_set_speaking_limit, actor=project_lead, agenda_item=item, seconds=5).code == "invalid_input"
    services.do_set_speaking_limit(actor=project_lead, agenda_item=item, seconds=120)
    assert services.speakers_state(item)["limit"] == 120
    item.session.status = ForumSessionStatus.ENDED
    item.session.save()
    assert _refused(services.do_raise_hand, actor=delegate, agenda_item=AgendaItem.objects.get(pk=item.pk)).code == "session_ended"


# --- roll call ------------------------------------------------------------------------

def test_check_in_needs_an_open_roll_call_and_is_audited(forum_session, delegate, substitute, project_lead):
    assert _refused(services.do_check_in, actor=delegate, session=forum_session, mode="on_site").code == "roll_call_closed"
    assert not Attendance.objects.exists() and not AttendanceChange.objects.exists()
    services.do_open_roll_call(actor=project_lead, session=forum_session)
    services.do_check_in(actor=delegate, session=forum_session, mode="on_site")
    services.do_check_in(actor=substitute, session=forum_session, mode="online")  # same organisation: now online
    attendance = Attendance.objects.get()
    assert attendance.mode == "online" and attendance.person == substitute
    assert list(AttendanceChange.objects.order_by("pk").values_list("actor", "mode", "by_chair")) == [
        (delegate.pk, "on_site", False), (substitute.pk, "online", False),
    ]
    assert services.session_quorum(forum_session)["present"] == 1
    assert _refused(services.do_check_in, actor=delegate, session=forum_session, mode="ailleurs").code == "invalid_mode"
    services.do_close_roll_call(actor=project_lead, session=forum_session)
    assert services.rollcall_state(forum_session)["open"] is False


@pytest.mark.parametrize("who", ["member", "project_lead", "outsider"])
def test_who_may_not_check_in(request, forum_session, project_lead, who):
    services.do_open_roll_call(actor=project_lead, session=forum_session)
    actor = request.getfixturevalue(who)
    assert _refused(services.do_check_in, actor=actor, session=forum_session, mode="on_site").status == 403
    assert not Attendance.objects.exists() and not AttendanceChange.objects.exists()


def test_chair_marks_in_bulk_with_one_audit_row_per_change(forum_session, make_orgs, project_lead):
    orgs = [org for org, _d, _s in make_orgs(4)]
    ids = [o.pk for o in orgs]
    assert services.do_mark_attendance(actor=project_lead, session=forum_session, organisation_ids=ids[:3], present=True, mode="on_site") == 3
    assert services.do_mark_attendance(actor=project_lead, session=forum_session, organisation_ids=ids, present=True, mode="on_site") == 1
    assert services.do_mark_attendance(actor=project_lead, session=forum_session, organisation_ids=ids[:2], present=False) == 2
    assert set(Attendance.objects.values_list("organisation_id", flat=True)) == set(ids[2:])
    changes = AttendanceChange.objects.filter(session=forum_session)
    assert changes.count() == 6 and set(changes.values_list("actor", flat=True)) == {project_lead.pk}
    assert changes.filter(present=False).count() == 2


@pytest.mark.parametrize("who", ["delegate", "substitute", "member", "other_delegate"])
def test_only_the_chair_marks_and_opens(request, forum_session, organisation, who):
    actor = request.getfixturevalue(who)
    assert _refused(services.do_mark_attendance, actor=actor, session=forum_session, organisation_ids=[organisation.pk], present=True).status == 403
    assert _refused(services.do_open_roll_call, actor=actor, session=forum_session).status == 403
    assert not Attendance.objects.exists() and not services.rollcall_state(forum_session)["open"]


def test_bulk_refuses_unknown_or_empty_selection(forum_session, organisation, project_lead):
    for ids in ([], [organisation.pk, 999999], ["x"]):
        _refused(services.do_mark_attendance, actor=project_lead, session=forum_session, organisation_ids=ids, present=True)
    assert not Attendance.objects.exists()


def test_roll_call_filter(make_orgs):
    orgs = [org for org, _d, _s in make_orgs(3)]
    target = orgs[1]
    assert list(rollcall.roll_call_organisations(q=target.name[:12].lower())) == [target] or target in rollcall.roll_call_organisations(q=target.name)
    assert set(rollcall.roll_call_organisations(region=target.region)) >= {target}
    assert projector.word_diff("a b", "a c") == [["equal", "a "], ["del", "b"], ["ins", "c"]]


def test_the_one_organisation_roll_call_is_audited_too(forum_session, organisation, project_lead):
    for present in (True, True, False):
        services.do_record_attendance(actor=project_lead, session=forum_session, organisation=organisation, present=present)
    assert list(AttendanceChange.objects.order_by("pk").values_list("present", "actor")) == [(True, project_lead.pk), (False, project_lead.pk)]
