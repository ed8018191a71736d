"""Procurations: requested by the giving organisation, confirmed by the chair; the holder
casts each organisation's ballot separately; quorum and roll call count the represented
organisation; every refusal stores nothing."""

import pytest

from advocacy import services
from advocacy.models import (
    Attendance,
    Ballot,
    ForumSessionStatus,
    Motion,
    Procuration,
    ProcurationStatus,
)
from tcri_site.members.models import Role
from tests.advocacy.conftest import make_demand
from tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder_row(make_orgs):
    (org, delegate, substitute), = make_orgs(1)
    return org, delegate, substitute


def _confirmed(session, giver_delegate, holder, chair):
    procuration = services.do_request_procuration(actor=giver_delegate, session=session, holder=holder)
    return services.do_confirm_procuration(actor=chair, procuration=procuration)


def test_request_by_delegate_or_substitute_and_confirm_by_chair(forum_session, substitute, holder_row, project_lead):
    holder_org, holder, _ = holder_row
    procuration = services.do_request_procuration(actor=substitute, session=forum_session, holder=holder)
    assert procuration.status == ProcurationStatus.REQUESTED and procuration.holder_organisation == holder_org
    confirmed = services.do_confirm_procuration(actor=project_lead, procuration=procuration)
    assert confirmed.status == ProcurationStatus.CONFIRMED and confirmed.decided_by == project_lead
    assert list(services.session_procurations(forum_session)) == [confirmed]


@pytest.mark.parametrize("who", ["member", "holder", "outsider", "project_lead"])
def test_who_may_not_request(who, forum_session, organisation, holder_row, outsider, project_lead):
    """(Another organisation cannot ask for the giver: the giver is always the asker's own.)"""
    holder_org, holder, _ = holder_row
    actor = {
        "member": make_member(organisation, Role.MEMBRE),
        "holder": holder,  # asks that someone of their own organisation hold its voice
        "outsider": outsider,
        "project_lead": project_lead,
    }[who]
    target = holder if who != "holder" else holder_row[2]
    with pytest.raises(services.AdvocacyRefusal):
        services.do_request_procuration(actor=actor, session=forum_session, holder=target)
    assert not Procuration.objects.exists()


def test_holder_must_be_a_delegate_of_another_eligible_organisation(forum_session, delegate, substitute, holder_row):
    holder_org, _holder, holder_substitute = holder_row
    not_pasi = make_member(OrganisationFactory(pasi_participant=False), Role.DELEGUE)
    for target, code in ((holder_substitute, "not_a_delegate"), (substitute, "not_a_delegate"),
                         (not_pasi, "not_eligible"), (delegate, "same_organisation")):
        with pytest.raises(services.InvalidInput) as refused:
            services.do_request_procuration(actor=delegate, session=forum_session, holder=target)
        assert refused.value.code == code
    assert not Procuration.objects.exists()


@pytest.mark.parametrize("who", ["delegate", "substitute", "holder", "member", "other_delegate"])
def test_only_the_chair_confirms_or_refuses(who, forum_session, organisation, delegate, substitute, holder_row, make_orgs, project_lead):
    _holder_org, holder, _ = holder_row
    (_o, other_delegate, _s), = make_orgs(1)
    procuration = services.do_request_procuration(actor=delegate, session=forum_session, holder=holder)
    actor = {"delegate": delegate, "substitute": substitute, "holder": holder,
             "member": make_member(organisation, Role.MEMBRE), "other_delegate": other_delegate}[who]
    for do in (services.do_confirm_procuration, services.do_refuse_procuration):
        with pytest.raises(services.NotAllowed):
            do(actor=actor, procuration=procuration)
    procuration.refresh_from_db()
    assert procuration.status == ProcurationStatus.REQUESTED and procuration.decided_by is None


def test_one_procuration_per_giver_and_limit_per_holder(forum_session, delegate, substitute, holder_row, make_orgs, project_lead):
    _holder_org, holder, _ = holder_row
    first = _confirmed(forum_session, delegate, holder, project_lead)
    with pytest.raises(services.InvalidState) as refused:
        services.do_request_procuration(actor=substitute, session=forum_session, holder=holder)
    assert refused.value.code in ("already_given", "holder_full")
    (_o2, second_giver, _s2), = make_orgs(1)
    with pytest.raises(services.InvalidState) as refused:
        services.do_request_procuration(actor=second_giver, session=forum_session, holder=holder)
    assert refused.value.code == "holder_full"
    assert Procuration.objects.count() == 1
    # The sitting may allow two.
    forum_session.max_procurations_held = 2
    forum_session.save(update_fields=["max_procurations_held"])
    second = services.do_request_procuration(actor=second_giver, session=forum_session, holder=holder)
    services.do_confirm_procuration(actor=project_lead, procuration=second)
    assert Procuration.objects.filter(status=ProcurationStatus.CONFIRMED).count() == 2
    # A holder organisation cannot give its own voice, nor can one that gave hold one.
    with pytest.raises(services.InvalidState):
        services.do_request_procuration(actor=holder, session=forum_session, holder=delegate)
    assert first.pk and Procuration.objects.count() == 2


def test_ended_session_refuses(forum_session, delegate, holder_row):
    forum_session.status = ForumSessionStatus.ENDED
    forum_session.save(update_fields=["status"])
    with pytest.raises(services.InvalidState):
        services.do_request_procuration(actor=delegate, session=forum_session, holder=holder_row[1])
    assert not Procuration.objects.exists()


def test_holder_votes_separately_for_each_organisation(client, open_motion, organisation, delegate, holder_row, project_lead):
    holder_org, holder, holder_sub = holder_row
    _confirmed(open_motion.session, delegate, holder, project_lead)
    client.force_login(holder)
    page = client.get(open_motion.get_absolute_url()).content.decode()
    assert f"Voter pour {organisation.name}" in page and f"Voter pour {holder_org.name}" in page
    assert page.count('class="ballot-form"') == 2
    services.do_cast_ballot(actor=holder, motion=open_motion, choice="for")
    assert client.post(open_motion.get_absolute_url(), {"choice": "against", "organisation": organisation.pk}).status_code == 302
    ballots = {b.organisation_id: b for b in Ballot.objects.filter(motion=open_motion)}
    assert ballots[holder_org.pk].choice == "for" and ballots[holder_org.pk].cast_by_role == Role.DELEGUE
    assert ballots[organisation.pk].choice == "against" and ballots[organisation.pk].cast_by_role == "proxy"
    # Casting again for the same organisation changes its one ballot, never adds one.
    services.do_cast_ballot(actor=holder, motion=open_motion, choice="abstain", organisation=organisation)
    assert Ballot.objects.filter(motion=open_motion, organisation=organisation).get().choice == "abstain"
    assert Ballot.objects.filter(motion=open_motion).count() == 2
    # The holder's substitut·e does not carry the procuration; the giver's representatives are refused.
    with pytest.raises(services.NotAllowed):
        services.do_cast_ballot(actor=holder_sub, motion=open_motion, choice="for", organisation=organisation)
    with pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    assert refused.value.code == "proxy_given"
    assert Ballot.objects.get(motion=open_motion, organisation=organisation).choice == "abstain"


def test_requested_procuration_gives_no_voice(open_motion, organisation, delegate, holder_row):
    _holder_org, holder, _ = holder_row
    services.do_request_procuration(actor=delegate, session=open_motion.session, holder=holder)
    with pytest.raises(services.NotAllowed):
        services.do_cast_ballot(actor=holder, motion=open_motion, choice="for", organisation=organisation)
    assert not Ballot.objects.exists()


def test_quorum_and_roll_call_count_the_represented_organisation(make_orgs, forum_session, project_lead):
    rows = make_orgs(4)
    (giver_org, giver, _), (holder_org, holder, _) = rows[0], rows[1]
    _confirmed(forum_session, giver, holder, project_lead)
    assert services.session_quorum(forum_session)["present"] == 0  # the holder's organisation is not here yet
    services.do_record_attendance(actor=project_lead, session=forum_session, organisation=holder_org, present=True)
    quorum = services.session_quorum(forum_session)
    assert quorum["present"] == 2 and quorum["total"] == 4
    state = services.session_state(forum_session)
    assert {"id": giver_org.pk, "name": giver_org.acronym, "proxy": True} in state["present"]
    # The holder's ballot for the represented organisation is counted once.
    demand = make_demand(giver_org, state="agenda")
    motion = Motion.objects.create(session=forum_session, demand=demand, title="P")
    services.do_open_motion(actor=project_lead, motion=motion)
    services.do_cast_ballot(actor=holder, motion=motion, choice="for", organisation=giver_org)
    services.do_cast_ballot(actor=holder, motion=motion, choice="for")
    assert services.session_quorum(forum_session)["present"] == 2
    assert Attendance.objects.filter(session=forum_session).count() == 2
    closed = services.do_close_motion(actor=project_lead, motion=motion)
    assert closed.present_count == 2 and closed.count_for == 2 and closed.quorum_required == 3
    roll = services.motion_state(closed)["roll_call"]
    assert [r["proxy"] for r in roll if r["organisation"] == giver_org.name] == [True]
    # The minutes' draft lists the procuration, and the ballot cast under it.
    minutes = services.draft_minutes_text(forum_session)
    assert f"{giver_org.name} représenté par" in minutes and "(par procuration)" in minutes
    assert [p.giver for p in services.session_procurations(forum_session)] == [giver_org]


def test_withdraw_by_giver_or_chair_only(forum_session, delegate, holder_row, make_orgs, project_lead):
    _holder_org, holder, _ = holder_row
    procuration = _confirmed(forum_session, delegate, holder, project_lead)
    (_o, stranger, _s), = make_orgs(1)
    for actor in (holder, stranger):
        with pytest.raises(services.NotAllowed):
            services.do_withdraw_procuration(actor=actor, procuration=procuration)
    assert Procuration.objects.get().status == ProcurationStatus.CONFIRMED
    services.do_withdraw_procuration(actor=delegate, procuration=procuration)
    assert Procuration.objects.get().status == ProcurationStatus.WITHDRAWN


def test_session_page_request_and_confirm(client, forum_session, delegate, holder_row, project_lead):
    holder_org, holder, _ = holder_row
    client.force_login(delegate)
    page = client.get(forum_session.get_absolute_url()).content.decode()
    assert 'id="procuration-holder"' in page and holder_org.name in page
    response = client.post(f"/forum-pasi/seances/{forum_session.pk}/procurations/", {"holder": holder.pk})
    assert response.status_code == 302
    procuration = Procuration.objects.get()
    assert client.post(f"/forum-pasi/seances/{forum_session.pk}/procurations/{procuration.pk}/confirmer/").status_code == 403
    client.force_login(project_lead)
    page = client.get(forum_session.get_absolute_url()).content.decode()
    assert f"/procurations/{procuration.pk}/confirmer/" in page
    assert client.post(f"/forum-pasi/seances/{forum_session.pk}/procurations/{procuration.pk}/confirmer/").status_code == 302
    assert Procuration.objects.get().is_confirmed
