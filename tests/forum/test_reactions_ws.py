"""Reactions over /ws/forum/: allowed (seen live by every reader), idempotent, refused."""

import pytest
from channels.db import database_sync_to_async

from forum.models import Reaction, Visibility
from tests.factories import make_member
from tests.forum.conftest import make_space, make_thread
from tests.forum.test_consumer import connect, drain, next_of, subscribe

pytestmark = pytest.mark.django_db(transaction=True)

count_reactions = database_sync_to_async(lambda: Reaction.objects.count())


def react(message_id, kind="heart", on=True, thread=None):
    return {"type": "reaction.set", "id": message_id, "thread": thread, "reaction": kind, "payload": {"on": on}}


async def test_a_reaction_reaches_every_reader_with_their_own_mine(ws_communicator, member, colleague, thread):
    message_id = await database_sync_to_async(lambda: thread.messages.get().pk)()
    mine = await connect(ws_communicator, colleague)
    other = await connect(ws_communicator, member)
    await subscribe(mine, thread)
    await subscribe(other, thread)
    await mine.send_json_to(react(message_id, thread=thread.pk))
    ack = await next_of(mine, "ack")
    assert ack["payload"] == {"ref": "reaction.set", "reaction": "heart", "on": True, "changed": True, "count": 1}
    seen = await next_of(other, "reaction.changed")
    assert seen["id"] == message_id and seen["thread"] == thread.pk
    assert seen["payload"]["count"] == 1 and seen["payload"]["mine"] is False
    assert seen["payload"]["emoji"] == "❤️" and seen["payload"]["names"] == [colleague.get_full_name()]
    own = await next_of(mine, "reaction.changed")
    assert own["payload"]["mine"] is True

    # The same frame again: acknowledged, nothing stored, nothing broadcast.
    await mine.send_json_to(react(message_id, thread=thread.pk))
    again = await next_of(mine, "ack")
    assert again["payload"]["changed"] is False and again["payload"]["count"] == 1
    assert [f for f in await drain(other) if f["type"] == "reaction.changed"] == []
    assert await count_reactions() == 1

    await mine.send_json_to(react(message_id, on=False, thread=thread.pk))
    assert (await next_of(mine, "ack"))["payload"]["count"] == 0
    assert (await next_of(other, "reaction.changed"))["payload"]["count"] == 0
    assert await count_reactions() == 0
    await mine.disconnect()
    await other.disconnect()


async def test_refused_for_a_thread_the_person_cannot_read_and_for_bad_frames(ws_communicator, member, other_organisation):
    def setup():
        space = make_space("prive", Visibility.LISTED, organisations=[member.organisation])
        thread = make_thread(space, member)
        return thread.messages.get().pk, make_member(other_organisation)

    message_id, stranger = await database_sync_to_async(setup)()
    comm = await connect(ws_communicator, stranger)
    await comm.send_json_to(react(message_id))
    error = await comm.receive_json_from()
    assert error["type"] == "error" and error["payload"]["code"] == "unknown_message"
    assert error["payload"]["ref"] == "reaction.set"
    await comm.send_json_to(react(message_id, kind="rocket"))
    assert (await comm.receive_json_from())["payload"]["code"] == "unknown_reaction"
    await comm.send_json_to({"type": "reaction.set", "id": message_id, "reaction": "heart", "payload": {"on": "yes"}})
    assert (await comm.receive_json_from())["payload"]["code"] == "missing_field"
    assert await count_reactions() == 0
    await comm.disconnect()
