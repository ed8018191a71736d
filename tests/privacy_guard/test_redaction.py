"""Moderators redact identifiers from a posted message: body, history, quoting
notifications; logged without the text; readers see it live."""

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from forum import services
from forum.errors import ForumRefusal
from forum.models import Message, MessageRevision
from tcri_site.notifications.models import Notification
from tcri_site.privacy_guard.models import Redaction
from tests.forum.conftest import make_space, make_thread
from tests.forum.test_consumer import connect, next_of, subscribe

SIN = "130 692 544"


def posted(thread, author, body=f"Son NAS : {SIN}, merci"):
    return services.do_post_message(actor=author, thread_id=thread.pk, body=body, confirmed=True).message


@pytest.mark.django_db
def test_redaction_replaces_identifiers_and_purges_the_history(thread, member, administrator):
    message = posted(thread, member, "Bonjour")
    services.do_edit_message(actor=member, message_id=message.pk, body=f"NAS {SIN}", confirmed=True)
    services.do_edit_message(actor=member, message_id=message.pk, body=f"NAS {SIN}, née le 12/03/1990", confirmed=True)
    assert MessageRevision.objects.filter(message=message).count() == 2
    services.do_redact_message(actor=administrator, message_id=message.pk)
    message.refresh_from_db()
    assert message.body == "NAS [retiré], née le [retiré]"
    assert SIN not in message.body_html and "[retiré]" in message.body_html
    assert not MessageRevision.objects.filter(message=message).exists()
    log = Redaction.objects.get()
    assert (log.actor, log.object_label, log.object_id, log.replaced, log.revisions_purged) == (
        administrator, "forum.message", message.pk, 2, 2
    )
    assert SIN not in str(vars(log))


@pytest.mark.django_db
def test_redaction_of_a_selected_passage(thread, member, administrator):
    message = posted(thread, member, "Mme Kabongo habite au 12 rue des Lilas, chez Mme Kabongo.")
    services.do_redact_message(actor=administrator, message_id=message.pk, passage="Mme Kabongo")
    assert Message.objects.get(pk=message.pk).body == "[retiré] habite au 12 rue des Lilas, chez [retiré]."


@pytest.mark.django_db
def test_notifications_quoting_the_message_are_redacted(thread, member, colleague, administrator):
    first = posted(thread, colleague, "Question")
    reply = services.do_post_message(
        actor=member, thread_id=thread.pk, body=f"NAS {SIN}", reply_to_id=first.pk, confirmed=True
    ).message
    assert Notification.objects.filter(recipient=colleague, body__contains=SIN).exists()
    services.do_redact_message(actor=administrator, message_id=reply.pk)
    assert not Notification.objects.filter(body__contains=SIN).exists()


@pytest.mark.django_db
def test_only_moderators_redact(thread, member, colleague):
    message = posted(thread, member)
    with pytest.raises(ForumRefusal):
        services.do_redact_message(actor=colleague, message_id=message.pk)
    with pytest.raises(ForumRefusal):
        services.do_redact_message(actor=member, message_id=message.pk)  # not even the author
    assert SIN in Message.objects.get(pk=message.pk).body
    assert not Redaction.objects.exists()


@pytest.mark.django_db
def test_nothing_to_redact_is_refused(thread, member, administrator):
    message = posted(thread, member, "Rien de personnel ici")
    with pytest.raises(ForumRefusal) as caught:
        services.do_redact_message(actor=administrator, message_id=message.pk)
    assert caught.value.code == "nothing_to_redact"


@pytest.mark.django_db
def test_redaction_page(client, thread, member, administrator, colleague):
    message = posted(thread, member)
    url = reverse("forum:message_redact", args=[message.pk])
    client.force_login(colleague)
    assert client.get(url).status_code == 404
    client.force_login(administrator)
    page = client.get(url).content.decode()
    assert "un numéro d&#x27;assurance sociale" in page
    assert client.post(url, {"passage": ""}).status_code == 302
    assert "[retiré]" in Message.objects.get(pk=message.pk).body
    thread_page = client.get(reverse("forum:thread", args=[thread.pk])).content.decode()
    assert SIN not in thread_page and "Retirer des renseignements" in thread_page


@pytest.mark.django_db(transaction=True)
async def test_readers_see_the_redaction_live(ws_communicator, member, administrator):
    space = await database_sync_to_async(make_space)()
    thread = await database_sync_to_async(make_thread)(space, member)
    message = await database_sync_to_async(posted)(thread, member)
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    await database_sync_to_async(services.do_redact_message)(actor=administrator, message_id=message.pk)
    event = await next_of(comm, "message.edited")
    assert event["payload"]["id"] == message.pk
    assert "[retiré]" in str(event["payload"]) and SIN not in str(event)
    await comm.disconnect()
