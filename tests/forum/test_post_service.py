"""Posting through the service: resends are answered with the first message whatever refuses
the second one, and the author's read marker and notifications follow the stored message."""

import pytest

from forum import services
from forum.models import Message, ReadMarker, Thread
from tcri_site.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def post(author, thread, body="Bonjour", client_id="", **kwargs):
    return services.do_post_message(actor=author, thread_id=thread.pk, body=body, client_id=client_id, **kwargs)


def test_a_resend_returns_the_first_message_and_stores_nothing(member, thread):
    first = post(member, thread, "Une fois", client_id="c-1")
    count = Message.objects.count()
    again = post(member, thread, "Une fois", client_id="c-1")
    assert first.created and not again.created
    assert again.message.pk == first.message.pk and again.event is None
    assert Message.objects.count() == count
    assert Thread.objects.get(pk=thread.pk).last_seq == first.event["seq"]  # no second event


def test_the_same_client_id_from_another_person_is_their_own_message(member, colleague, thread):
    mine = post(member, thread, "De moi", client_id="shared")
    theirs = post(colleague, thread, "De l'autre", client_id="shared")
    assert theirs.created and theirs.message.pk != mine.message.pk


def test_a_resend_after_the_thread_was_locked_is_still_answered_with_the_first(member, thread):
    first = post(member, thread, "Avant le verrou", client_id="c-2")
    Thread.objects.filter(pk=thread.pk).update(is_locked=True)
    again = post(member, thread, "Avant le verrou", client_id="c-2")
    assert not again.created and again.message.pk == first.message.pk
    with pytest.raises(services.ForumRefusal) as refused:
        post(member, thread, "Après le verrou", client_id="c-3")
    assert refused.value.code == "thread_locked"
    assert not Message.objects.filter(client_id="c-3").exists()


def test_a_resend_past_the_rate_limit_is_answered_and_a_new_message_is_refused(member, thread, settings):
    settings.FORUM_RATE_LIMIT = "2/60"
    first = post(member, thread, "Un", client_id="r-1")
    post(member, thread, "Deux", client_id="r-2")
    again = post(member, thread, "Un", client_id="r-1")  # the limit is reached: still the first
    assert not again.created and again.message.pk == first.message.pk
    with pytest.raises(services.ForumRefusal) as refused:
        post(member, thread, "Trois", client_id="r-3")
    assert refused.value.code == "rate_limited"
    assert not Message.objects.filter(client_id="r-3").exists()


def test_an_invalid_message_without_a_first_one_is_refused(member, thread):
    with pytest.raises(services.ForumRefusal) as refused:
        post(member, thread, "   ", client_id="never-sent")
    assert refused.value.code == "empty_message"


def test_the_author_has_read_their_message_and_the_person_replied_to_is_told(member, colleague, thread):
    question = post(colleague, thread, "Une question ?")
    answer = post(member, thread, "Une réponse", reply_to_id=question.message.pk)
    marker = ReadMarker.objects.get(user=member, thread=thread)
    assert marker.last_read_message_id == answer.message.pk
    told = Notification.objects.filter(recipient=colleague, kind=Kind.REPLY)
    assert told.count() == 1
    assert str(answer.message.pk) in told.get().url
