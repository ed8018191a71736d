"""Pages work without JavaScript: plain forms, pagination, clear errors, bounded queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum import services
from forum.models import (
    Attachment,
    Message,
    MessageRevision,
    Report,
    ReportStatus,
    Thread,
    Visibility,
)
from tcri_site.members.models import Role
from tcri_site.notifications.models import Kind, Notification
from tests.factories import OrganisationFactory, make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_index_lists_only_the_spaces_the_person_may_see(client, member, other_organisation):
    make_space("ouvert")
    make_space("pasi", Visibility.PASI)
    make_space("coord", Visibility.COORDINATORS)
    make_space("prive-autre", Visibility.LISTED, organisations=[other_organisation])
    make_space("prive-mien", Visibility.LISTED, organisations=[member.organisation])
    client.force_login(member)
    html = client.get(reverse("forum:index")).content.decode()
    assert "Espace ouvert" in html and "Espace pasi" in html and "Espace prive-mien" in html
    assert "Espace prive-autre" not in html and "Espace coord" not in html


def test_non_pasi_organisation_does_not_see_pasi_spaces(client):
    org = OrganisationFactory(pasi_participant=False)
    person = make_member(org)
    make_space("pasi", Visibility.PASI)
    client.force_login(person)
    assert "Espace pasi" not in client.get(reverse("forum:index")).content.decode()
    assert client.get(reverse("forum:space", args=["pasi"])).status_code == 403


def test_anonymous_goes_to_login_and_outsider_is_refused(client, outsider, thread):
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
    client.force_login(outsider)
    assert client.get(reverse("forum:index")).status_code == 403
    assert client.get(thread.get_absolute_url()).status_code == 403


def test_private_thread_is_forbidden_and_unknown_is_404(client, member, other_organisation):
    stranger = make_member(other_organisation)
    space = make_space("prive", Visibility.LISTED, organisations=[other_organisation])
    secret = make_thread(space, stranger, title="Secret")
    client.force_login(member)
    assert client.get(secret.get_absolute_url()).status_code == 403
    assert client.post(secret.get_absolute_url(), {"body": "intrus"}).status_code == 403
    assert client.get(reverse("forum:thread", args=[999999])).status_code == 404
    assert not Message.objects.filter(body="intrus").exists()


def test_posting_with_a_plain_form_and_resubmitting_is_idempotent(client, member, thread):
    client.force_login(member)
    data = {"body": "Bonjour à toutes", "client_id": "form-1"}
    first = client.post(thread.get_absolute_url(), data)
    second = client.post(thread.get_absolute_url(), data)
    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(body="Bonjour à toutes").count() == 1
    page = client.get(first["Location"]).content.decode()
    assert "Bonjour à toutes" in page


def test_empty_message_says_what_is_wrong_and_stores_nothing(client, member, thread):
    client.force_login(member)
    before = Message.objects.count()
    response = client.post(thread.get_absolute_url(), {"body": "   "})
    assert response.status_code == 400
    assert "Le message est vide" in response.content.decode()
    assert Message.objects.count() == before


def test_too_long_message_keeps_the_text(client, member, thread):
    client.force_login(member)
    body = "x" * 10_001
    response = client.post(thread.get_absolute_url(), {"body": body})
    assert response.status_code == 400
    html = response.content.decode()
    assert "trop long" in html and body in html  # nothing is lost


def test_locked_thread_refuses_posts(client, member, space):
    thread = make_thread(space, member, is_locked=True)
    client.force_login(member)
    response = client.post(thread.get_absolute_url(), {"body": "Encore un mot"})
    assert response.status_code == 400
    assert "verrouillé" in response.content.decode()
    assert not Message.objects.filter(body="Encore un mot").exists()


def test_attachment_accepted_then_downloaded_with_permission(client, member, colleague, thread, other_organisation):
    client.force_login(member)
    upload = SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf")
    response = client.post(thread.get_absolute_url(), {"body": "Voir le PDF", "attachment": upload})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "compte-rendu.pdf" and attachment.size == len(PDF)
    client.force_login(colleague)
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    client.force_login(make_member(other_organisation))
    thread.space.visibility = Visibility.LISTED
    thread.space.save()
    assert client.get(attachment.get_absolute_url()).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("script.exe", b"MZ....", "type accepté"),
        ("page.html", b"<script>", "type accepté"),
        ("faux.pdf", b"<html><script>alert(1)</script>", "ne correspond pas à son extension"),
        ("gros.pdf", PDF + b"0" * 2048, "dépasse la taille permise"),
    ],
)
def test_attachment_limits_are_explained(client, member, thread, settings, name, content, expected):
    settings.FORUM_MAX_ATTACHMENT_BYTES = 1024 * 1024 if name != "gros.pdf" else 1024
    client.force_login(member)
    before = Message.objects.count()
    upload = SimpleUploadedFile(name, content)
    response = client.post(thread.get_absolute_url(), {"body": "Avec fichier", "attachment": upload})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert Message.objects.count() == before and not Attachment.objects.exists()


def test_create_thread_with_tags(client, member, space):
    client.force_login(member)
    response = client.post(
        space.get_absolute_url(),
        {"title": "Logement à Laval", "tags": "logement, asile", "body": "Qui a des pistes ?"},
    )
    assert response.status_code == 302
    thread = Thread.objects.get(title="Logement à Laval")
    assert sorted(thread.tags.names()) == ["asile", "logement"]
    assert thread.messages.get().body == "Qui a des pistes ?"


def test_create_thread_without_title_explains(client, member, space):
    client.force_login(member)
    response = client.post(space.get_absolute_url(), {"title": "", "body": "texte"})
    assert response.status_code == 400
    assert "Donnez un titre au fil" in response.content.decode()
    assert not Thread.objects.exists()


def test_edit_keeps_history_and_delete_is_soft(client, member, colleague, thread):
    message = thread.messages.get()
    client.force_login(member)
    response = client.post(reverse("forum:message_edit", args=[message.pk]), {"body": "Version 2"})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.body == "Version 2" and message.edited_at is not None
    assert list(MessageRevision.objects.values_list("body", flat=True)) == ["Premier message"]
    history = client.get(reverse("forum:message_history", args=[message.pk])).content.decode()
    assert "Premier message" in history
    client.force_login(colleague)
    assert client.post(reverse("forum:message_edit", args=[message.pk]), {"body": "pirate"}).status_code == 403
    assert client.post(reverse("forum:message_delete", args=[message.pk])).status_code == 403
    client.force_login(member)
    client.post(reverse("forum:message_delete", args=[message.pk]))
    message.refresh_from_db()
    assert message.deleted_at is not None and message.body == "Version 2"
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Message supprimé." in page and "Version 2" not in page


def test_report_then_moderator_hides_and_restores(client, member, colleague, project_lead, space):
    space.moderators.add(project_lead)
    thread = make_thread(space, member, body="Propos déplacé")
    message = thread.messages.get()
    client.force_login(colleague)
    response = client.post(reverse("forum:message_report", args=[message.pk]), {"reason": ""})
    assert response.status_code == 400 and "Indiquez le motif" in response.content.decode()
    client.post(reverse("forum:message_report", args=[message.pk]), {"reason": "Hors sujet et blessant"})
    report = Report.objects.get()
    assert report.status == ReportStatus.OPEN and report.reporter == colleague
    alert = Notification.objects.get(recipient=project_lead, kind=Kind.MODERATION)
    assert alert.url == reverse("forum:reports")  # where the moderator can hide or dismiss
    # members cannot moderate
    assert client.post(reverse("forum:message_moderate", args=[message.pk]), {"action": "hide"}).status_code == 403
    client.force_login(project_lead)
    client.post(reverse("forum:message_moderate", args=[message.pk]), {"action": "hide"})
    report.refresh_from_db()
    assert report.status == ReportStatus.HIDDEN
    assert Notification.objects.filter(recipient=member, kind=Kind.MODERATION).exists()
    client.force_login(colleague)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Message masqué par la modération." in page and "Propos déplacé" not in page
    client.force_login(project_lead)
    assert "Propos déplacé" in client.get(thread.get_absolute_url()).content.decode()
    client.post(reverse("forum:message_moderate", args=[message.pk]), {"action": "restore"})
    message.refresh_from_db()
    assert message.hidden_at is None


def test_moderator_locks_and_pins(client, member, project_lead, thread):
    client.force_login(member)
    assert client.post(reverse("forum:thread_moderate", args=[thread.pk]), {"action": "lock"}).status_code == 403
    client.force_login(project_lead)
    client.post(reverse("forum:thread_moderate", args=[thread.pk]), {"action": "lock"})
    client.post(reverse("forum:thread_moderate", args=[thread.pk]), {"action": "pin"})
    thread.refresh_from_db()
    assert thread.is_locked and thread.is_pinned
    assert list(thread.events.values_list("kind", flat=True))[-2:] == ["thread.locked", "thread.pinned"]


def test_mentions_and_replies_notify_only_people_who_may_read(member, colleague, space, other_organisation):
    # make_member e-mails are personneN@test.tcri.example; @handle is the part before @
    outsider_org = make_member(other_organisation)
    space.visibility = Visibility.LISTED
    space.save()
    space.organisations.set([member.organisation])
    thread = make_thread(space, member)
    handle = colleague.email.split("@")[0]
    other_handle = outsider_org.email.split("@")[0]
    result = services.do_post_message(
        actor=member, thread_id=thread.pk,
        body=f"Merci @{handle} et @{other_handle} ! Voir aussi @{member.organisation.acronym}.",
    )
    assert Notification.objects.filter(recipient=colleague, kind=Kind.MENTION).count() == 1
    assert not Notification.objects.filter(recipient=outsider_org).exists()  # cannot read it
    assert not Notification.objects.filter(recipient=member).exists()  # never oneself
    services.do_post_message(actor=colleague, thread_id=thread.pk, body="Avec plaisir", reply_to_id=result.message.pk)
    reply = Notification.objects.get(recipient=member, kind=Kind.REPLY)
    assert reply.url == Message.objects.get(body="Avec plaisir").get_absolute_url()


def test_an_edit_that_adds_a_mention_tells_only_the_newly_mentioned(member, colleague, space, organisation):
    third = make_member(organisation)
    thread = make_thread(space, member)
    handle, third_handle = colleague.email.split("@")[0], third.email.split("@")[0]
    posted = services.do_post_message(actor=member, thread_id=thread.pk, body=f"Bonjour @{handle}")
    assert Notification.objects.filter(recipient=colleague, kind=Kind.MENTION).count() == 1
    services.do_edit_message(actor=member, message_id=posted.message.pk, body=f"Bonjour @{handle} et @{third_handle}")
    assert Notification.objects.filter(recipient=colleague, kind=Kind.MENTION).count() == 1  # not twice
    assert Notification.objects.filter(recipient=third, kind=Kind.MENTION).count() == 1
    services.do_edit_message(actor=member, message_id=posted.message.pk, body=f"Bonjour @{third_handle}, @{handle}")
    assert Notification.objects.filter(kind=Kind.MENTION).count() == 2


def test_unread_counts_per_thread(client, member, colleague, space):
    thread = make_thread(space, member, title="Fil A")
    for i in range(3):
        services.do_post_message(actor=colleague, thread_id=thread.pk, body=f"n{i}")
    client.force_login(member)
    page = client.get(space.get_absolute_url()).content.decode()
    assert 'data-unread="3"' in page
    assert "1 fil avec du nouveau" in client.get(reverse("forum:index")).content.decode()
    client.get(thread.get_absolute_url())  # reading the last page moves the marker
    page = client.get(space.get_absolute_url()).content.decode()
    assert 'data-unread="0"' in page


def test_history_is_paginated_and_opens_on_the_latest_page(client, member, colleague, space):
    thread = make_thread(space, member, body="message 0")
    Message.objects.bulk_create(
        [Message(thread=thread, author=colleague, body=f"message {i}", body_html=f"<p>message {i}</p>") for i in range(1, 120)]
    )
    client.force_login(member)
    latest = client.get(thread.get_absolute_url()).content.decode()
    assert "message 119" in latest and "<p>message 5</p>" not in latest
    assert "Page 3 sur 3" in latest
    first = client.get(thread.get_absolute_url() + "?page=1").content.decode()
    assert "<p>message 5</p>" in first and "message 119" not in first
    target = Message.objects.get(body="message 60")
    response = client.get(reverse("forum:message", args=[target.pk]))
    assert response["Location"].endswith(f"?page=2#m{target.pk}")


def _grow(thread, author, n):
    Message.objects.bulk_create(
        [Message(thread=thread, author=author, body=f"m{i}", body_html=f"<p>m{i}</p>") for i in range(n)]
    )


@pytest.mark.parametrize("size", [5, 60])
def test_pages_make_a_bounded_number_of_queries(client, member, colleague, space, django_assert_max_num_queries, size):
    space.visibility = Visibility.LISTED
    space.save()
    space.organisations.set([member.organisation])
    for t in range(size // 5 + 1):
        thread = make_thread(space, colleague, title=f"Fil {t}")
        thread.tags.set(["a", "b"])
        _grow(thread, colleague, size)
    others = [make_member(member.organisation, Role.MEMBRE) for _ in range(3)]
    for person in others:
        services.do_post_message(actor=person, thread_id=thread.pk, body="salut")
    client.force_login(member)
    # Constant per page, whatever the data: the menu's catalogue page, the follow state.
    with django_assert_max_num_queries(16):
        assert client.get(reverse("forum:index")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(space.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(30):  # the same at both sizes: reactions, follow state
        assert client.get(thread.get_absolute_url()).status_code == 200


def test_pages_in_english(client, member, thread):
    client.force_login(member)
    html = client.get("/en" + thread.get_absolute_url()).content.decode()
    assert "Reply in this thread" in html and "Your message" in html


def test_reply_link_prefills_and_bad_reply_parameter_is_ignored(client, member, thread):
    message = thread.messages.get()
    client.force_login(member)
    page = client.get(thread.get_absolute_url() + f"?reply={message.pk}").content.decode()
    assert f'name="reply_to" value="{message.pk}"' in page
    assert client.get(thread.get_absolute_url() + "?reply=abc").status_code == 200
