"""Clear before, not after: a person who may not vote sees why on the vote page, with no
active ballot; a motion without a linked demand works; closing asks for confirmation."""

import pytest

from advocacy import services
from advocacy.models import Ballot, Motion, MotionStatus, Procuration, ProcurationStatus
from tcri_site.members.models import Role
from tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db

ACTIVE_BALLOT = ("Vous pouvez changer votre vote jusqu", 'type="radio" name="choice"')


def _ballot_part(page: str) -> str:
    return page.split('id="mon-vote"')[1].split('id="resultats"')[0]


def _page(client, user, motion) -> str:
    client.force_login(user)
    response = client.get(motion.get_absolute_url())
    assert response.status_code == 200
    return _ballot_part(response.content.decode())


def _assert_no_active_ballot(part: str) -> None:
    for marker in ACTIVE_BALLOT:
        assert marker not in part
    assert ">Voter<" not in part and "Voter pour" not in part


def test_motion_without_demand_has_a_working_vote_page(client, forum_session, project_lead, delegate):
    motion = Motion.objects.create(session=forum_session, title="Motion de félicitations", text="Que le forum félicite l'équipe.")
    bare = Motion.objects.create(session=forum_session, title="Sans texte ni revendication")
    client.force_login(delegate)
    assert client.get(bare.get_absolute_url()).status_code == 200
    assert client.get(f"/forum-pasi/votes/{bare.pk}/projection/").status_code == 200
    client.force_login(project_lead)
    assert client.post(f"/forum-pasi/votes/{motion.pk}/ouvrir/").status_code == 302
    client.force_login(delegate)
    page = client.get(motion.get_absolute_url()).content.decode()
    assert "Que le forum félicite" in page and "Vous pouvez changer votre vote" in page
    assert client.post(motion.get_absolute_url(), {"choice": "for"}).status_code == 302
    client.force_login(project_lead)
    assert client.post(f"/forum-pasi/votes/{motion.pk}/fermer/", {"confirmed": "1"}).status_code == 302
    motion.refresh_from_db()
    assert motion.status == MotionStatus.CLOSED and motion.count_for == 1
    assert client.get(motion.get_absolute_url()).status_code == 200


def test_substitute_sees_that_the_delegate_voted(client, open_motion, delegate, substitute):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    part = _page(client, substitute, open_motion)
    _assert_no_active_ballot(part)
    assert "Votre délégué·e a déjà voté" in part and 'data-code="delegate_voted"' in part
    # And the délégué·e still may change it.
    part = _page(client, delegate, open_motion)
    assert "Vous pouvez changer votre vote" in part


def test_member_sees_why(client, open_motion, member):
    part = _page(client, member, open_motion)
    _assert_no_active_ballot(part)
    assert 'data-code="member"' in part and "seul·es ses délégué·es et substitut·es votent" in part


def test_organisation_not_eligible_sees_why(client, open_motion):
    outside_pasi = OrganisationFactory(pasi_participant=False)
    delegate = make_member(outside_pasi, Role.DELEGUE)
    part = _page(client, delegate, open_motion)
    _assert_no_active_ballot(part)
    assert 'data-code="not_eligible"' in part and "ne participe pas au PASI" in part
    with pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    assert refused.value.code == "not_eligible"
    assert not Ballot.objects.exists()


def test_chair_and_stranger_see_why(client, open_motion, project_lead, outsider):
    part = _page(client, project_lead, open_motion)
    _assert_no_active_ballot(part)
    assert "La présidence ne vote pas en ligne" in part
    client.force_login(outsider)
    assert client.get(open_motion.get_absolute_url()).status_code == 403  # not a workspace user


def test_delegate_of_another_organisation_without_procuration_is_refused(client, open_motion, organisation, make_orgs):
    (_org, stranger, _sub), = make_orgs(1)
    client.force_login(stranger)
    response = client.post(open_motion.get_absolute_url(), {"choice": "for", "organisation": organisation.pk})
    assert response.status_code == 403 and "dont vous détenez la procuration" in response.content.decode()
    assert not Ballot.objects.exists()
    # Their own page shows only their own organisation's ballot.
    part = _page(client, stranger, open_motion)
    assert f'data-organisation="{organisation.pk}"' not in part


def test_organisation_that_gave_its_voice_sees_who_votes(client, open_motion, organisation, delegate, substitute, make_orgs):
    (holder_org, holder, _sub), = make_orgs(1)
    Procuration.objects.create(session=open_motion.session, giver=organisation, holder=holder, holder_organisation=holder_org,
                               status=ProcurationStatus.CONFIRMED)
    for person in (delegate, substitute):
        part = _page(client, person, open_motion)
        _assert_no_active_ballot(part)
        assert 'data-code="proxy_given"' in part and holder_org.name in part
    with pytest.raises(services.NotAllowed) as refused:
        services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    assert refused.value.code == "proxy_given" and not Ballot.objects.exists()


def test_closing_asks_for_confirmation_without_javascript(client, open_motion, delegate, project_lead):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    client.force_login(project_lead)
    page = client.get(open_motion.get_absolute_url()).content.decode()
    # The dialog is on the page, labelled and described, for the form that closes.
    assert 'data-confirm="confirm-close"' in page
    assert '<dialog class="confirm-dialog" id="confirm-close" aria-labelledby="confirm-close-title"' in page
    assert "Plus aucun bulletin ne sera reçu" in page
    step = client.post(f"/forum-pasi/votes/{open_motion.pk}/fermer/")
    assert step.status_code == 200
    body = step.content.decode()
    assert "Fermer le vote ?" in body and "Plus aucun bulletin ne sera reçu" in body
    assert 'name="confirmed" value="1"' in body and f'action="/forum-pasi/votes/{open_motion.pk}/fermer/"' in body
    open_motion.refresh_from_db()
    assert open_motion.status == MotionStatus.OPEN
    # A délégué·e is refused before any confirmation step.
    client.force_login(delegate)
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/fermer/").status_code == 403
    client.force_login(project_lead)
    assert client.post(f"/forum-pasi/votes/{open_motion.pk}/fermer/", {"confirmed": "1"}).status_code == 302
    open_motion.refresh_from_db()
    assert open_motion.status == MotionStatus.CLOSED


def test_redraft_and_publish_minutes_ask_for_confirmation(client, open_motion, delegate, project_lead):
    from advocacy.models import Minutes, MinutesStatus

    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=open_motion)
    session = open_motion.session
    url = f"/forum-pasi/seances/{session.pk}/proces-verbal/modifier/"
    client.force_login(project_lead)
    page = client.get(url).content.decode()
    assert 'data-confirm="confirm-redraft"' in page and 'data-confirm="confirm-publish"' in page
    minutes = Minutes.objects.get(session=session)
    edited = minutes.body + "\nCorrection de la présidence."
    services.do_edit_minutes(actor=project_lead, minutes=minutes, body=edited)
    step = client.post(url, {"body": edited, "redraft": "1"})
    assert step.status_code == 200 and "vos modifications seront perdues" in step.content.decode()
    assert 'name="redraft" value="1"' in step.content.decode()
    minutes.refresh_from_db()
    assert "Correction de la présidence" in minutes.body
    step = client.post(url, {"body": edited, "publish": "1"})
    assert step.status_code == 200 and "ne pourra plus jamais être modifié" in step.content.decode()
    # The edited text is carried to the confirmation step.
    assert "Correction de la présidence" in step.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    assert client.post(url, {"body": edited, "publish": "1", "confirmed": "1"}).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED
