"""Ballots the chair enters for an organisation voting on paper, by phone or by show of
hands: recorded with who entered them and the channel, shown as such, refused for an
organisation that has voted; nobody else may enter one."""

import pytest

from advocacy import services
from advocacy.models import Ballot, BallotKind
from tcri_site.members.models import Role
from tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def test_chair_enters_a_paper_ballot(open_motion, organisation, project_lead, delegate):
    ballot = services.do_enter_ballot(actor=project_lead, motion=open_motion, organisation=organisation, choice="for", channel="paper")
    assert ballot.entered_by == project_lead and ballot.channel == "paper" and ballot.cast_by is None and ballot.is_entered
    state = services.motion_state(open_motion)
    assert state["counts"]["for"] == 1 and state["entered"] == {"paper": 1, "phone": 0, "hands": 0}
    # The organisation's own representatives may not change it online.
    with pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="against")
    assert refused.value.code == "entered_by_chair"
    assert Ballot.objects.get().choice == "for"


def test_refused_for_an_organisation_that_has_voted(open_motion, organisation, project_lead, delegate):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="against")
    for channel in ("paper", "phone", "hands"):
        with pytest.raises(services.InvalidState) as refused:
            services.do_enter_ballot(actor=project_lead, motion=open_motion, organisation=organisation, choice="for", channel=channel)
        assert refused.value.code == "already_voted"
    ballot = Ballot.objects.get()
    assert ballot.choice == "against" and ballot.channel == "online" and ballot.entered_by is None


@pytest.mark.parametrize("who", ["delegate", "substitute", "member", "other_delegate", "holder"])
def test_only_the_chair_enters(who, open_motion, organisation, delegate, substitute, member, make_orgs, project_lead):
    (holder_org, holder, _), (_o, other_delegate, _s) = make_orgs(2)
    procuration = services.do_request_procuration(actor=delegate, session=open_motion.session, holder=holder)
    services.do_confirm_procuration(actor=project_lead, procuration=procuration)
    actor = {"delegate": delegate, "substitute": substitute, "member": member, "other_delegate": other_delegate, "holder": holder}[who]
    with pytest.raises(services.NotAllowed):
        services.do_enter_ballot(actor=actor, motion=open_motion, organisation=organisation, choice="for", channel="paper")
    assert not Ballot.objects.exists()


def test_bad_channel_and_ineligible_organisation_refused(open_motion, project_lead, organisation):
    with pytest.raises(services.InvalidInput):
        services.do_enter_ballot(actor=project_lead, motion=open_motion, organisation=organisation, choice="for", channel="online")
    with pytest.raises(services.InvalidInput):
        services.do_enter_ballot(actor=project_lead, motion=open_motion, organisation=organisation, choice="peut-être", channel="paper")
    with pytest.raises(services.InvalidInput):
        services.do_enter_ballot(
            actor=project_lead, motion=open_motion, organisation=OrganisationFactory(pasi_participant=False), choice="for", channel="phone"
        )
    assert not Ballot.objects.exists()


def test_entry_form_page_and_results_show_the_channel(client, open_motion, organisation, project_lead, delegate):
    open_motion.ballot_kind = BallotKind.ROLL_CALL
    open_motion.save(update_fields=["ballot_kind"])
    client.force_login(project_lead)
    page = client.get(open_motion.get_absolute_url()).content.decode()
    assert 'id="enter-ballot-form"' in page and organisation.name in page
    response = client.post(f"/forum-pasi/votes/{open_motion.pk}/bulletin-saisi/",
                           {"organisation": organisation.pk, "choice": "against", "channel": "phone"})
    assert response.status_code == 302
    again = client.post(f"/forum-pasi/votes/{open_motion.pk}/bulletin-saisi/",
                        {"organisation": organisation.pk, "choice": "for", "channel": "paper"})
    assert again.status_code == 409 and "a déjà voté" in again.content.decode()
    client.force_login(delegate)
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/bulletin-saisi/",
                       {"organisation": organisation.pk, "choice": "for", "channel": "paper"}).status_code == 403
    part = client.get(open_motion.get_absolute_url()).content.decode()
    assert "Saisi par la présidence : Par téléphone" in part and "Vous pouvez changer votre vote" not in part.split('id="resultats"')[0]
    closed = services.do_close_motion(actor=project_lead, motion=open_motion)
    roll = services.motion_state(closed)["roll_call"]
    assert roll == [{"organisation": organisation.name, "choice": "against", "label": "Contre", "channel": "phone",
                     "channel_label": "Par téléphone", "proxy": False}]
    client.force_login(project_lead)
    assert "(Par téléphone)" in client.get(open_motion.get_absolute_url()).content.decode()
    assert Ballot.objects.get().entered_by == project_lead


def test_member_of_a_non_pasi_org_sees_no_entry_form(client, open_motion):
    person = make_member(OrganisationFactory(pasi_participant=False), Role.DELEGUE)
    client.force_login(person)
    assert 'id="enter-ballot-form"' not in client.get(open_motion.get_absolute_url()).content.decode()
