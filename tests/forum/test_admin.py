"""The reports queue and the spaces in the Wagtail admin."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Report, ReportStatus
from tests.forum.conftest import make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(member, colleague, space):
    thread = make_thread(space, member, body="Contenu signalé")
    message = thread.messages.get()
    services.do_report_message(user=colleague, message_id=message.pk, reason="Propos injurieux")
    return Report.objects.get()


def test_staff_works_the_reports_queue(client, administrator, reported):
    client.force_login(administrator)
    page = client.get(reverse("forum_reports"))
    assert page.status_code == 200
    assert "Propos injurieux" in page.content.decode()
    client.post(reverse("forum_report_resolve", args=[reported.pk]), {"action": "hide"})
    reported.refresh_from_db()
    reported.message.refresh_from_db()
    assert reported.status == ReportStatus.HIDDEN and reported.message.hidden_at is not None
    assert "Aucun signalement." in client.get(reverse("forum_reports")).content.decode()


def test_dismissing_a_report_leaves_the_message(client, project_lead, reported):
    client.force_login(project_lead)
    client.post(reverse("forum_report_resolve", args=[reported.pk]), {"action": "dismiss"})
    reported.refresh_from_db()
    assert reported.status == ReportStatus.DISMISSED and reported.message.hidden_at is None


def test_members_cannot_reach_the_queue(client, member, reported):
    client.force_login(member)
    assert client.get(reverse("forum_reports")).status_code in (302, 403)
    assert client.post(reverse("forum_report_resolve", args=[reported.pk]), {"action": "hide"}).status_code in (302, 403)
    reported.refresh_from_db()
    assert reported.status == ReportStatus.OPEN


def test_spaces_are_managed_as_snippets(client, administrator, space):
    client.force_login(administrator)
    response = client.get(reverse("wagtailsnippets_forum_space:list"))
    assert response.status_code == 200 and space.name in response.content.decode()
