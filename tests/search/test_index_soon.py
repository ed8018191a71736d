"""A new message is indexed just after its broadcast (tcri_site.live.soon) when it is posted
from the ASGI server's worker thread, at once anywhere else; a change, a hide or a deletion
in between is never undone by the late index."""

import asyncio
import logging

import pytest

from forum import services
from search.models import SearchDocument
from tcri_site import live
from tcri_site.db import database_sync_to_async
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db(transaction=True)


def _docs(message_id):
    return list(
        SearchDocument.objects.filter(
            source="forum.message", object_id=str(message_id)
        ).values_list("body", flat=True)
    )


@pytest.fixture
def posted(member, monkeypatch):
    """Post from a worker thread of a running loop, as the consumer does; the deferred
    index waits until the test runs it (SOON_SECONDS is long)."""
    monkeypatch.setattr(live, "SOON_SECONDS", 30)

    async def post(body="Une question sur le permis de travail fermé"):
        def run():
            thread = make_thread(make_space(), member)
            return services.do_post_message(
                actor=member, thread_id=thread.pk, body=body, client_id=""
            )

        return (await database_sync_to_async(run)()).message

    yield post
    live.run_waiting()


async def test_the_new_message_is_indexed_after_the_broadcast_not_before(posted):
    message = await posted()
    assert await database_sync_to_async(_docs)(message.pk) == []
    await database_sync_to_async(live.run_waiting)()
    docs = await database_sync_to_async(_docs)(message.pk)
    assert len(docs) == 1 and "permis de travail" in docs[0]


async def test_it_runs_by_itself_a_moment_later(member, monkeypatch):
    monkeypatch.setattr(live, "SOON_SECONDS", 0.01)

    def run():
        thread = make_thread(make_space(), member)
        return services.do_post_message(
            actor=member, thread_id=thread.pk, body="Parrainage collectif", client_id=""
        )

    message = (await database_sync_to_async(run)()).message
    for _ in range(100):
        if await database_sync_to_async(_docs)(message.pk):
            break
        await asyncio.sleep(0.05)
    assert len(await database_sync_to_async(_docs)(message.pk)) == 1


async def test_an_edit_before_the_late_add_wins(posted, member, caplog):
    message = await posted()
    await database_sync_to_async(services.do_edit_message)(
        actor=member, message_id=message.pk, body="Texte corrigé"
    )
    await database_sync_to_async(live.run_waiting)()
    docs = await database_sync_to_async(_docs)(message.pk)
    assert len(docs) == 1 and "corrigé" in docs[0]
    # The late index replaced; a plain add would have hit the unique key.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_deletion_before_the_late_add_leaves_nothing(posted, member):
    message = await posted()
    await database_sync_to_async(services.do_delete_message)(actor=member, message_id=message.pk)
    await database_sync_to_async(live.run_waiting)()
    assert await database_sync_to_async(_docs)(message.pk) == []


async def test_a_message_hidden_before_the_late_add_leaves_nothing(posted, member, project_lead):
    message = await posted()
    await database_sync_to_async(services.do_set_hidden)(
        actor=project_lead, message_id=message.pk, hidden=True
    )
    await database_sync_to_async(live.run_waiting)()
    assert await database_sync_to_async(_docs)(message.pk) == []


def test_outside_the_server_it_is_indexed_at_once(member):
    thread = make_thread(make_space(), member)
    message = services.do_post_message(
        actor=member, thread_id=thread.pk, body="Demande d'asile", client_id=""
    ).message
    assert len(_docs(message.pk)) == 1


async def test_a_change_indexed_by_another_process_does_not_collide(posted, caplog):
    message = await posted()

    def other_process_edits_and_indexes():
        # Another server process edits the message and indexes it; this process's waiting
        # set knows nothing of it.
        from forum.models import Message
        from search.backends import get_backend
        from search.providers import registry

        Message.objects.filter(pk=message.pk).update(body="Modifié ailleurs")
        provider = registry.get("forum.message")
        obj = provider.get_queryset().get(pk=message.pk)
        get_backend().replace("forum.message", str(message.pk), provider.documents(obj))

    await database_sync_to_async(other_process_edits_and_indexes)()
    await database_sync_to_async(live.run_waiting)()
    docs = await database_sync_to_async(_docs)(message.pk)
    assert len(docs) == 1 and "ailleurs" in docs[0]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_messages_posted_meanwhile_are_indexed_together_in_a_bounded_number_of_queries(
    member, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(live, "SOON_SECONDS", 30)

    def post_and_index(count):
        thread = make_thread(make_space(slug=f"espace-{count}"), member)
        live.run_waiting()  # the thread's own entry
        messages = [
            services.do_post_message(
                actor=member, thread_id=thread.pk, body=f"Question {n} sur l'asile", client_id=""
            ).message
            for n in range(count)
        ]
        services.do_delete_message(actor=member, message_id=messages[0].pk)  # gone before its turn
        with CaptureQueriesContext(connection) as queries:
            live.run_waiting()
        bodies = sorted(body for m in messages for body in _docs(m.pk))
        return len(queries), bodies

    few_queries, few = await database_sync_to_async(post_and_index)(2)
    many_queries, many = await database_sync_to_async(post_and_index)(12)
    assert few == ["Question 1 sur l'asile"]
    assert many == sorted(f"Question {n} sur l'asile" for n in range(1, 12))
    assert many_queries == few_queries  # one read and one write for all of them
