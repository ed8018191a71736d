"""The reports queue and the spaces in the Wagtail admin."""

import pytest
from django.urls import reverse

from forum import services
from forum.models import Report, ReportStatus
from tests.factories import make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(member, colleague, space):
    thread = make_thread(space, member, body="Contenu signalé")
    message = thread.messages.get()
    services.do_report_message(actor=colleague, message_id=message.pk, reason="Propos injurieux")
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


@pytest.fixture
def space_moderator(organisation, space):
    """Staff of a member organisation who moderates one space (not TCRI staff)."""
    moderator = make_member(organisation)
    space.moderators.add(moderator)
    return moderator


def test_a_space_moderator_works_the_reports_of_their_spaces_on_the_site(client, space_moderator, colleague, reported):
    other_space = make_space(slug="autre")
    elsewhere = make_thread(other_space, colleague, body="Ailleurs").messages.get()
    other = services.do_report_message(actor=space_moderator, message_id=elsewhere.pk, reason="Hors de mon espace")

    client.force_login(space_moderator)
    page = client.get(reverse("forum:reports"))
    assert page.status_code == 200
    assert "Propos injurieux" in page.content.decode() and "Hors de mon espace" not in page.content.decode()
    assert "Contenu signalé" in page.content.decode()  # the message, as text

    # A report of another space: not found, and left as it was.
    assert client.post(reverse("forum:report_resolve", args=[other.pk]), {"action": "hide"}).status_code == 404
    other.refresh_from_db()
    assert other.status == ReportStatus.OPEN and other.message.hidden_at is None

    response = client.post(reverse("forum:report_resolve", args=[reported.pk]), {"action": "dismiss"}, follow=True)
    assert "Signalement rejeté." in response.content.decode()
    reported.refresh_from_db()
    assert reported.status == ReportStatus.DISMISSED and reported.resolved_by == space_moderator
    assert "Aucun signalement." in client.get(reverse("forum:reports")).content.decode()
    assert "Propos injurieux" in client.get(reverse("forum:reports") + "?statut=dismissed").content.decode()


def test_a_space_moderator_stays_out_of_the_admin(client, space_moderator, space, reported):
    client.force_login(space_moderator)
    assert client.get(reverse("wagtailadmin_home")).status_code == 302
    assert client.get(reverse("forum_reports")).status_code in (302, 403)
    # The site's queue only while they moderate an active space.
    space.is_active = False
    space.save()
    assert client.get(reverse("forum:reports")).status_code in (302, 403)


def test_members_and_staff_on_the_site_queue(client, member, project_lead, reported):
    client.force_login(member)
    assert client.get(reverse("forum:reports")).status_code in (302, 403)
    assert client.post(reverse("forum:report_resolve", args=[reported.pk]), {"action": "hide"}).status_code in (302, 403)
    reported.refresh_from_db()
    assert reported.status == ReportStatus.OPEN
    client.force_login(project_lead)
    assert "Propos injurieux" in client.get(reverse("forum:reports")).content.decode()


def test_the_site_queue_pages_in_bounded_queries(client, space_moderator, space, colleague, django_assert_max_num_queries):
    from forum.models import Message, Thread

    def report(n):
        thread = Thread.objects.create(space=space, title=f"Fil {n}", author=space_moderator)
        message = Message.objects.create(
            thread=thread, author=space_moderator, body=f"**Message** {n}", body_html=f"<p><strong>Message</strong> {n}</p>"
        )
        Report.objects.create(message=message, reporter=colleague, reason=f"Motif {n}")

    for n in range(5):
        report(n)
    client.force_login(space_moderator)
    client.get(reverse("forum:reports"))  # warm cache (site root paths…): the data's cost only
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("forum:reports"))
    for n in range(5, 30):
        report(n)
    with django_assert_max_num_queries(len(few.captured_queries)):  # six times the reports, no more queries
        page = client.get(reverse("forum:reports"))
    assert page.content.decode().count("<article") == 25
    assert "Message 29" in page.content.decode() and "**Message**" not in page.content.decode()  # as text
    assert "Motif 4" in client.get(reverse("forum:reports") + "?page=2").content.decode()
