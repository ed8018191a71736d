"""Forum messages that look like they hold a client identifier: warned, kept, posted on
confirmation only, over HTTP and over the socket."""

import pytest
from channels.db import database_sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from forum import services
from forum.models import Attachment, Message, MessageRevision, Thread
from tcri_site.privacy_guard.guard import IdentifiersFound
from tests.forum.conftest import make_space, make_thread
from tests.forum.test_consumer import connect, next_of, subscribe

SIN_TEXT = "Le NAS de la cliente est 130 692 544."


@pytest.mark.django_db
def test_service_refuses_until_confirmed(thread, member):
    before = Message.objects.count()
    with pytest.raises(IdentifiersFound) as caught:
        services.do_post_message(actor=member, thread_id=thread.pk, body=SIN_TEXT)
    assert caught.value.kinds == ["sin"]
    assert "••••••544" in str(caught.value.message) and "130 692 544" not in str(caught.value.message)
    assert Message.objects.count() == before
    result = services.do_post_message(actor=member, thread_id=thread.pk, body=SIN_TEXT, confirmed=True)
    assert result.created and result.message.body == SIN_TEXT


@pytest.mark.django_db
def test_attachment_name_is_checked(thread, member):
    upload = SimpleUploadedFile("nas_130692544.pdf", b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(IdentifiersFound):
        services.do_post_message(actor=member, thread_id=thread.pk, body="Voici le document", files=[upload])
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_new_thread_title_is_checked(space, member):
    with pytest.raises(IdentifiersFound):
        services.do_create_thread(actor=member, space=space, title="Dossier IUC 12-3456-7890", body="Bonjour")
    assert not Thread.objects.exists()


@pytest.mark.django_db
def test_edit_is_checked_and_keeps_no_revision(thread, member):
    message = thread.messages.get()
    with pytest.raises(IdentifiersFound):
        services.do_edit_message(actor=member, message_id=message.pk, body="née le 12/03/1990")
    assert not MessageRevision.objects.exists()
    services.do_edit_message(actor=member, message_id=message.pk, body="née le 12/03/1990", confirmed=True)
    assert Message.objects.get(pk=message.pk).body == "née le 12/03/1990"


@pytest.mark.django_db
def test_ordinary_text_posts_without_a_question(thread, member):
    result = services.do_post_message(
        actor=member, thread_id=thread.pk, body="Rencontre le 12/03/2026 à 14 h, appelez le 514-555-1234."
    )
    assert result.created


@pytest.mark.django_db
def test_http_form_warns_keeps_the_text_and_posts_when_ticked(client, thread, member):
    client.force_login(member)
    url = reverse("forum:thread", args=[thread.pk])
    response = client.post(url, {"body": SIN_TEXT, "client_id": "c1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "numéro d&#x27;assurance sociale" in html and "••••••544" in html
    assert 'name="confirm_identifiers"' in html and 'type="checkbox"' in html
    assert "Le NAS de la cliente est 130 692 544." in html  # the text is kept in the textarea
    assert Message.objects.filter(thread=thread).count() == 1
    response = client.post(url, {"body": SIN_TEXT, "client_id": "c1", "confirm_identifiers": "on"})
    assert response.status_code == 302
    assert Message.objects.filter(thread=thread, body=SIN_TEXT).exists()


@pytest.mark.django_db
def test_http_warning_in_english(client, thread, member):
    client.force_login(member)
    response = client.post("/en" + reverse("forum:thread", args=[thread.pk]), {"body": SIN_TEXT})
    assert response.status_code == 400
    assert "social insurance number" in response.content.decode()


@pytest.mark.django_db
def test_http_form_hides_the_box_when_nothing_was_found(client, thread, member):
    client.force_login(member)
    response = client.get(reverse("forum:thread", args=[thread.pk]))
    assert 'type="checkbox"' not in response.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_socket_asks_for_confirmation_then_posts(ws_communicator, member):
    space = await database_sync_to_async(make_space)()
    thread = await database_sync_to_async(make_thread)(space, member)
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    frame = {"type": "message.create", "thread": thread.pk, "client_id": "x1", "payload": {"body": SIN_TEXT}}
    await comm.send_json_to(frame)
    answer = await next_of(comm, "needs_confirmation", "ack")
    assert answer["type"] == "needs_confirmation"
    assert answer["client_id"] == "x1" and answer["thread"] == thread.pk
    assert answer["payload"]["kinds"] == ["sin"] and answer["payload"]["ref"] == "message.create"
    assert "130 692 544" not in str(answer)
    assert await database_sync_to_async(Message.objects.filter(body=SIN_TEXT).count)() == 0
    frame["payload"]["confirmed"] = "yes"  # only true itself confirms
    await comm.send_json_to(frame)
    assert (await next_of(comm, "needs_confirmation", "ack"))["type"] == "needs_confirmation"
    frame["payload"]["confirmed"] = True
    await comm.send_json_to(frame)
    ack = await next_of(comm, "ack")
    assert ack["client_id"] == "x1" and ack["payload"]["created"] is True
    assert await database_sync_to_async(Message.objects.filter(body=SIN_TEXT).count)() == 1
    await comm.disconnect()


@pytest.mark.django_db
def test_http_attachment_name_warns_and_asks_for_the_file_again(client, thread, member):
    client.force_login(member)
    url = reverse("forum:thread", args=[thread.pk])
    upload = SimpleUploadedFile("ramq_TREM90031212.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(url, {"body": "Le document demandé", "client_id": "c3", "attachment": upload})
    html = response.content.decode()
    assert response.status_code == 400
    assert "numéro d&#x27;assurance maladie du Québec" in html
    assert "Choisissez à nouveau la pièce jointe" in html
    assert not Attachment.objects.exists()
