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
