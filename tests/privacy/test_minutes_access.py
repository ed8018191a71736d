"""Published minutes name délégué·es and their roll-call choices: members only (issue 23)."""

import pytest

from advocacy import services
from advocacy.models import Minutes, MinutesStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(open_motion, delegate, project_lead):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=open_motion)
    session = open_motion.session
    minutes = services.do_draft_minutes(actor=project_lead, session=session)
    services.do_publish_minutes(actor=project_lead, minutes=minutes)
    assert Minutes.objects.get(session=session).status == MinutesStatus.PUBLISHED
    return session


@pytest.mark.parametrize("suffix", ["proces-verbal/", "proces-verbal.pdf", "resultats.csv"])
def test_anonymous_is_sent_to_login(client, published, suffix):
    response = client.get(f"/forum-pasi/seances/{published.pk}/{suffix}")
    assert response.status_code == 302
    assert "/comptes/connexion/" in response["Location"]


def test_member_reads_published_minutes(client, published, member, delegate):
    client.force_login(member)
    page = client.get(f"/forum-pasi/seances/{published.pk}/proces-verbal/")
    assert page.status_code == 200
    assert delegate.organisation.name in page.content.decode()


def test_outsider_without_membership_is_refused(client, published, outsider):
    client.force_login(outsider)
    assert client.get(f"/forum-pasi/seances/{published.pk}/proces-verbal/").status_code == 403


def test_the_chair_may_publish_them_for_everyone(client, open_motion, delegate, project_lead):
    services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    services.do_close_motion(actor=project_lead, motion=open_motion)
    session = open_motion.session
    services.do_draft_minutes(actor=project_lead, session=session)
    client.force_login(project_lead)
    edit = f"/forum-pasi/seances/{session.pk}/proces-verbal/modifier/"
    assert "Publier aussi pour le public" in client.get(edit).content.decode()
    client.post(edit, {"body": "Procès-verbal de la séance.", "publish": "1", "public": "1", "confirmed": "1"})
    minutes = Minutes.objects.get(session=session)
    assert minutes.status == MinutesStatus.PUBLISHED and minutes.public
    client.logout()
    page = client.get(f"/forum-pasi/seances/{session.pk}/proces-verbal/")
    assert page.status_code == 200 and "Procès-verbal de la séance." in page.content.decode()


def test_unless_asked_the_published_minutes_stay_for_members(published):
    assert Minutes.objects.get(session=published).public is False
