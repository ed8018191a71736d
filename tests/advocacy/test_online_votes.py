"""Online votes between sittings: who may put a motion to an online vote and extend it
(refusals store nothing), the "À voter" list, the participation quorum, the close by the
schedule (never before its time) and the reminders (once per organisation and time)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from advocacy import services
from advocacy.models import (
    Ballot,
    DemandState,
    Motion,
    MotionResult,
    MotionStatus,
    OnlineVoteReminder,
)
from advocacy.services import InvalidInput, InvalidState, NotAllowed
from tcri_site.notifications.models import Kind, Notification
from tests.advocacy.conftest import make_demand


def _create(actor, **kwargs):
    values = {"title": "Vote en ligne", "text": "Que le forum appuie X.", "closes_at": timezone.now() + timedelta(days=3)}
    values.update(kwargs)
    return services.do_create_online_vote(actor=actor, **values)


@pytest.fixture
def orgs(make_orgs):
    return make_orgs(4)


def test_the_chair_puts_a_demand_to_an_online_vote_opened_now(orgs, project_lead):
    demand = make_demand(orgs[0][0], state=DemandState.CONSULTATION)
    motion = _create(project_lead, demand=demand, text="")
    assert motion.session is None and motion.is_online
    assert motion.status == MotionStatus.OPEN
    assert motion.text == demand.text
    demand.refresh_from_db()
    assert demand.state == DemandState.VOTE
    assert ModelLogEntry.objects.filter(action="advocacy.motion.schedule_online", object_id=str(motion.pk)).exists()
    # The organisations hear of the opening.
    assert Notification.objects.filter(recipient=orgs[1][1], kind=Kind.VOTE).exists()


@pytest.mark.parametrize("who", ["delegate", "substitute", "member", "outsider"])
def test_only_the_chair_puts_to_an_online_vote(who, orgs, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        _create(actor)
    assert not Motion.objects.exists()


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (None, timedelta(minutes=-1), "futur"),
        (timedelta(days=2), timedelta(days=1), "suivre l'ouverture"),
        (timedelta(hours=-2), timedelta(days=1), "passé"),
    ],
)
def test_bad_schedule_refused_and_nothing_stored(opens, closes, message, orgs, project_lead):
    now = timezone.now()
    with pytest.raises(InvalidInput, match=message):
        _create(project_lead, opens_at=now + opens if opens is not None else None, closes_at=now + closes)
    assert not Motion.objects.exists()


def test_quorum_setting_beyond_the_organisations_refused(orgs, project_lead):
    with pytest.raises(InvalidInput, match="ne peut pas dépasser"):
        _create(project_lead, quorum_min_organisations=50)
    with pytest.raises(InvalidInput, match="entre 0 et 100"):
        _create(project_lead, quorum_min_percent=120)
    assert not Motion.objects.exists()


def test_a_future_vote_waits_for_the_schedule(orgs, project_lead):
    now = timezone.now()
    motion = _create(project_lead, opens_at=now + timedelta(hours=1), closes_at=now + timedelta(days=2))
    assert motion.status == MotionStatus.PENDING
    delegate = orgs[0][1]
    with pytest.raises(InvalidState, match="pas encore ouvert"):
        services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    assert services.do_open_due_votes(now=now) == 0
    # The schedule never opens it early, even asked directly.
    with pytest.raises(NotAllowed):
        services.do_open_motion(actor=None, motion=motion)
    motion.opens_at = now - timedelta(seconds=1)
    motion.save(update_fields=["opens_at"])
    assert services.do_open_due_votes() == 1
    motion.refresh_from_db()
    assert motion.is_open


def test_votes_awaiting_lists_what_the_organisation_has_not_voted(orgs, project_lead, member):
    first = _create(project_lead, title="Premier")
    second = _create(project_lead, title="Second", closes_at=timezone.now() + timedelta(days=1))
    _org, delegate, substitute = orgs[0]
    assert list(services.votes_awaiting(delegate)) == [second, first]  # soonest close first
    assert services.votes_awaiting_count(substitute) == 2
    services.do_cast_ballot(actor=substitute, motion=first, choice="against")
    assert list(services.votes_awaiting(delegate)) == [second]
    assert services.votes_awaiting_count(orgs[1][1]) == 2
    assert services.votes_awaiting_count(member) == 0
    assert services.votes_awaiting_count(project_lead) == 0


def test_online_ballot_has_no_roll_call_and_no_procuration(orgs, project_lead):
    from advocacy.models import Attendance

    motion = _create(project_lead)
    services.do_cast_ballot(actor=orgs[0][1], motion=motion, choice="for")
    assert Ballot.objects.filter(motion=motion).count() == 1
    assert not Attendance.objects.exists()
    assert services.motion_state(motion)["quorum"]["present"] == 1


def test_no_ballot_after_the_deadline_even_before_the_close_job(orgs, project_lead):
    motion = _create(project_lead)
    Motion.objects.filter(pk=motion.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidState, match="fermé"):
        services.do_cast_ballot(actor=orgs[0][1], motion=motion, choice="for")
    assert not Ballot.objects.exists()


def test_close_job_waits_for_the_deadline_then_closes_once(orgs, project_lead):
    motion = _create(project_lead, quorum_min_organisations=2)
    for _org, delegate, _sub in orgs[:3]:
        services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    assert services.do_close_due_votes() == 0
    with pytest.raises(NotAllowed):  # the schedule never closes before its time
        services.do_close_motion(actor=None, motion=motion)
    motion.refresh_from_db()
    assert motion.is_open
    later = motion.closes_at + timedelta(seconds=1)
    Motion.objects.filter(pk=motion.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.do_close_due_votes(now=later) == 1
    assert services.do_close_due_votes(now=later) == 0
    motion.refresh_from_db()
    assert motion.is_closed and motion.result == MotionResult.ADOPTED
    assert (motion.count_for, motion.present_count, motion.eligible_count, motion.quorum_required) == (3, 3, 4, 2)
    assert ModelLogEntry.objects.filter(action="advocacy.motion.close", object_id=str(motion.pk)).count() == 1
    # Published and notified to every organisation's délégué·es.
    assert Notification.objects.filter(recipient=orgs[3][1], title__startswith="Résultat du vote en ligne").count() == 1


def test_short_of_participation_quorum_is_not_adopted(orgs, project_lead):
    motion = _create(project_lead, quorum_min_percent=75)  # 3 of 4 organisations
    services.do_cast_ballot(actor=orgs[0][1], motion=motion, choice="for")
    services.do_cast_ballot(actor=orgs[1][1], motion=motion, choice="for")
    Motion.objects.filter(pk=motion.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.do_close_due_votes() == 1
    motion.refresh_from_db()
    assert motion.result == MotionResult.NO_QUORUM
    assert not motion.quorum_met and motion.quorum_required == 3
    page_state = services.motion_state(motion)
    assert page_state["result_label"] == "Rejetée faute de quorum"


def test_default_quorum_is_a_majority_of_the_organisations(orgs, project_lead):
    motion = _create(project_lead)
    assert services.online_quorum(motion)["required"] == 3


def test_extend_deadline_by_the_chair_only_logged_and_notified(orgs, project_lead):
    motion = _create(project_lead)
    before = motion.closes_at
    for actor in (orgs[0][1], orgs[0][2]):
        with pytest.raises(NotAllowed):
            services.do_extend_deadline(actor=actor, motion=motion, closes_at=before + timedelta(days=1))
    with pytest.raises(InvalidInput, match="repousse"):
        services.do_extend_deadline(actor=project_lead, motion=motion, closes_at=before - timedelta(hours=1))
    motion.refresh_from_db()
    assert motion.closes_at == before
    assert not ModelLogEntry.objects.filter(action="advocacy.motion.extend").exists()
    services.do_extend_deadline(actor=project_lead, motion=motion, closes_at=before + timedelta(days=1))
    motion.refresh_from_db()
    assert motion.closes_at == before + timedelta(days=1)
    entry = ModelLogEntry.objects.get(action="advocacy.motion.extend", object_id=str(motion.pk))
    assert entry.user_id == project_lead.pk
    assert Notification.objects.filter(recipient=orgs[2][1], title__startswith="Vote en ligne prolongé").exists()


def test_a_sitting_vote_has_no_deadline_to_extend(orgs, project_lead, forum_session):
    motion = Motion.objects.create(session=forum_session, title="En séance")
    with pytest.raises(InvalidState):
        services.do_extend_deadline(actor=project_lead, motion=motion, closes_at=timezone.now() + timedelta(days=1))


def test_reminders_once_per_organisation_and_time_only_to_those_who_have_not_voted(orgs, project_lead):
    now = timezone.now()
    motion = _create(project_lead, closes_at=now + timedelta(days=5))
    services.do_cast_ballot(actor=orgs[0][1], motion=motion, choice="for")
    assert services.do_send_due_reminders(now=now) == 0  # more than 48 h before the close
    at_48 = motion.closes_at - timedelta(hours=47)
    assert services.do_send_due_reminders(now=at_48) == 3
    assert services.do_send_due_reminders(now=at_48 + timedelta(minutes=1)) == 0
    reminded = Notification.objects.filter(title__startswith="Rappel")
    # Délégué·e and substitut·e of the three organisations that have not voted, once each.
    assert reminded.count() == 6
    assert not reminded.filter(recipient__in=[orgs[0][1], orgs[0][2]]).exists()
    services.do_cast_ballot(actor=orgs[1][2], motion=motion, choice="abstain")
    at_2 = motion.closes_at - timedelta(hours=1)
    assert services.do_send_due_reminders(now=at_2) == 2
    assert services.do_send_due_reminders(now=at_2) == 0
    assert set(OnlineVoteReminder.objects.values_list("hours_before", flat=True)) == {48, 2}
    assert OnlineVoteReminder.objects.filter(hours_before=2).count() == 2


def test_no_48_hour_reminder_for_a_vote_opened_a_day_before_its_close(orgs, project_lead):
    motion = _create(project_lead, closes_at=timezone.now() + timedelta(hours=24))
    assert services.do_send_due_reminders(now=timezone.now() + timedelta(minutes=1)) == 0
    assert services.do_send_due_reminders(now=motion.closes_at - timedelta(hours=1)) == 4


# ---------------------------------------------------------------------------------------
# Pages


def _local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_form_refuses_a_close_before_the_opening_with_a_clear_error(client, orgs, project_lead):
    client.force_login(project_lead)
    now = timezone.now()
    response = client.post("/forum-pasi/votes/en-ligne/nouveau/", {
        "title": "Vote", "text": "Que X.", "threshold": "simple", "ballot_kind": "roll_call",
        "opens_at": _local(now + timedelta(days=2)), "closes_at": _local(now + timedelta(days=1)),
    })
    assert response.status_code == 400
    assert "La clôture doit suivre l&#x27;ouverture." in response.content.decode()
    assert not Motion.objects.exists()


def test_form_puts_a_demand_to_an_online_vote_in_montreal_time(client, orgs, project_lead):
    demand = make_demand(orgs[0][0], state=DemandState.CONSULTATION)
    client.force_login(project_lead)
    page = client.get(demand.get_absolute_url())
    assert "Mettre au vote en ligne" in page.content.decode()
    response = client.post("/forum-pasi/votes/en-ligne/nouveau/", {
        "demand": demand.pk, "title": demand.title, "text": "", "threshold": "simple", "ballot_kind": "roll_call",
        "closes_at": "2099-03-10T13:30", "quorum_min_percent": "40",
    })
    motion = Motion.objects.get()
    assert response.status_code == 302 and response["Location"] == motion.get_absolute_url()
    # Entered as Montréal's 13 h 30 (EDT in March 2099 after the 8th: UTC-4).
    assert motion.closes_at.isoformat() == "2099-03-10T17:30:00+00:00"
    assert motion.demand == demand and motion.quorum_min_percent == 40
    shown = client.get(motion.get_absolute_url()).content.decode()
    assert "Vote en ligne entre les séances" in shown and "13 h 30" in shown


def test_delegate_may_not_open_the_form(client, orgs):
    client.force_login(orgs[0][1])
    assert client.get("/forum-pasi/votes/en-ligne/nouveau/").status_code == 403


def test_votes_awaiting_page_and_navigation_count(client, orgs, project_lead, member, django_assert_max_num_queries):
    motion = _create(project_lead, title="Question en ligne")
    _create(project_lead, title="Deuxième question")
    delegate = orgs[0][1]
    client.force_login(delegate)
    client.get("/forum-pasi/a-voter/")
    for i in range(5):  # more open votes, no more queries
        _create(project_lead, title=f"Autre {i}")
    with django_assert_max_num_queries(25):
        page = client.get("/forum-pasi/a-voter/").content.decode()
    assert 'data-nav-count="votes_awaiting">7<' in page
    Motion.objects.filter(title__startswith="Autre").delete()
    page = client.get("/forum-pasi/a-voter/").content.decode()
    assert "Question en ligne" in page and "Deuxième question" in page
    assert 'data-nav-count="votes_awaiting">2<' in page
    services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    page = client.get("/forum-pasi/a-voter/").content.decode()
    assert "Question en ligne" not in page
    assert 'data-nav-count="votes_awaiting">1<' in page
    # A member of the organisation has no such link.
    client.force_login(member)
    assert "data-nav-count" not in client.get("/forum-pasi/").content.decode()
    assert client.get("/forum-pasi/a-voter/").status_code == 403


def test_extend_page_for_the_chair(client, orgs, project_lead):
    motion = _create(project_lead)
    client.force_login(orgs[0][1])
    assert client.get(f"/forum-pasi/votes/{motion.pk}/prolonger/").status_code == 403
    client.force_login(project_lead)
    response = client.post(f"/forum-pasi/votes/{motion.pk}/prolonger/", {"closes_at": _local(motion.closes_at - timedelta(hours=2))})
    assert response.status_code == 400 and "repousse" in response.content.decode()
    new = motion.closes_at + timedelta(days=2)
    response = client.post(f"/forum-pasi/votes/{motion.pk}/prolonger/", {"closes_at": _local(new)})
    assert response.status_code == 302
    motion.refresh_from_db()
    assert _local(motion.closes_at) == _local(new)


@pytest.mark.django_db(transaction=True)
def test_the_worker_schedule_closes_a_due_vote(settings, make_orgs, project_lead):
    """End to end through ``manage.py worker``'s machinery: the tick claims the job's
    minute, the worker runs it, the due vote is closed and its result notified."""
    from tcri_site.background import tasks as background_tasks
    from tcri_site.background.models import ScheduledRun
    from tests.mail.conftest import DATABASE_QUEUE, run_worker

    settings.TASKS = DATABASE_QUEUE  # the worker's database queue, not the test's immediate one
    rows = make_orgs(2)
    motion = _create(project_lead)
    services.do_cast_ballot(actor=rows[0][1], motion=motion, choice="for")
    services.do_cast_ballot(actor=rows[1][1], motion=motion, choice="against")
    Motion.objects.filter(pk=motion.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    background_tasks.start()
    run_worker("first")
    motion.refresh_from_db()
    assert motion.is_closed and motion.result == MotionResult.REJECTED  # a tie rejects
    run = ScheduledRun.objects.get(job="advocacy.close_online_votes")
    assert run.error == "" and "closed=1" in run.result


def test_home_page_lists_what_to_vote_for_representatives_only(client, orgs, project_lead, member):
    _create(project_lead, title="Question de l'accueil")
    client.force_login(orgs[1][2])
    assert "Question de l&#x27;accueil" in client.get("/").content.decode()
    client.force_login(member)
    assert "Question de l&#x27;accueil" not in client.get("/").content.decode()


def test_one_failing_close_does_not_keep_the_other_votes_open(orgs, project_lead, monkeypatch):
    from advocacy.services import votes as vote_services

    broken, fine = _create(project_lead, title="Cassé"), _create(project_lead, title="Correct")
    Motion.objects.filter(pk__in=[broken.pk, fine.pk]).update(closes_at=timezone.now() - timedelta(seconds=1))
    real = vote_services.do_close_motion

    def close(*, actor, motion):
        if motion.pk == broken.pk:
            raise RuntimeError("panne")
        return real(actor=actor, motion=motion)

    monkeypatch.setattr(vote_services, "do_close_motion", close)
    assert services.do_close_due_votes() == 1
    assert Motion.objects.get(pk=fine.pk).is_closed
    assert Motion.objects.get(pk=broken.pk).is_open


def test_pages_in_english(client, orgs, project_lead):
    motion = _create(project_lead, title="Question")
    client.force_login(orgs[0][1])
    page = client.get("/en/forum-pasi/a-voter/").content.decode()
    assert "<h1>To vote</h1>" in page and 'data-nav-count="votes_awaiting">1<' in page
    vote = client.get(f"/en/forum-pasi/votes/{motion.pk}/").content.decode()
    assert "Online vote between sittings" in vote and "Montréal time" in vote
    client.force_login(project_lead)
    response = client.post("/en/forum-pasi/votes/en-ligne/nouveau/", {"title": "X", "text": "Y", "threshold": "simple",
                                                                       "ballot_kind": "roll_call", "closes_at": "2001-01-01T10:00"})
    assert "The close must be in the future." in response.content.decode()


def test_a_secret_online_vote_counts_who_voted_from_the_urn(orgs, project_lead):
    from advocacy.models import BallotKind, SecretChoice, SecretParticipation

    motion = _create(project_lead, ballot_kind=BallotKind.SECRET, quorum_min_organisations=2)
    _org, delegate, substitute = orgs[0]
    services.do_cast_ballot(actor=delegate, motion=motion, choice="for")
    assert services.votes_awaiting_count(substitute) == 0  # the organisation voted, secretly
    assert services.votes_awaiting_count(orgs[1][1]) == 1
    services.do_cast_ballot(actor=orgs[1][1], motion=motion, choice="against")
    assert not Ballot.objects.filter(motion=motion).exists()
    assert SecretParticipation.objects.filter(motion=motion).count() == SecretChoice.objects.filter(motion=motion).count() == 2
    assert services.online_quorum(motion)["present"] == 2
    Motion.objects.filter(pk=motion.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.do_close_due_votes() == 1
    motion.refresh_from_db()
    assert (motion.count_for, motion.count_against, motion.present_count) == (1, 1, 2)
    assert motion.quorum_met


def test_a_secret_online_vote_cannot_ask_a_double_majority(orgs, project_lead):
    from advocacy.models import BallotKind, SecondMajority

    with pytest.raises(InvalidInput):
        _create(project_lead, ballot_kind=BallotKind.SECRET, second_majority=SecondMajority.REGIONS)
    assert not Motion.objects.exists()
