"""follow.set over /ws/forum/: acknowledged, told to the person's other sockets, idempotent, refused."""

import pytest
from channels.db import database_sync_to_async

from forum.models import Visibility
from tcri_site.notifications.models import Follow
from tests.factories import make_member
from tests.forum.conftest import make_space
from tests.forum.test_consumer import connect, drain, next_of

pytestmark = pytest.mark.django_db(transaction=True)

follows = database_sync_to_async(lambda: list(Follow.objects.values_list("user_id", "mode")))


async def test_follow_then_mute_a_thread_reaches_the_other_tab(ws_communicator, member, thread):
    tab = await connect(ws_communicator, member)
    other_tab = await connect(ws_communicator, member)
    await tab.send_json_to({"type": "follow.set", "thread": thread.pk, "payload": {"mode": "follow"}})
    ack = await next_of(tab, "ack")
    assert ack["payload"] == {"ref": "follow.set", "target": "thread", "id": thread.pk, "mode": "follow", "changed": True}
    told = await next_of(other_tab, "follow.changed")
    assert told["thread"] == thread.pk and told["payload"]["mode"] == "follow"
    await tab.send_json_to({"type": "follow.set", "thread": thread.pk, "payload": {"mode": "follow"}})
    assert (await next_of(tab, "ack"))["payload"]["changed"] is False
    assert [f for f in await drain(other_tab) if f["type"] == "follow.changed"] == []
    await tab.send_json_to({"type": "follow.set", "thread": thread.pk, "payload": {"mode": "mute"}})
    assert (await next_of(other_tab, "follow.changed"))["payload"]["mode"] == "mute"
    assert await follows() == [(member.pk, "mute")]
    await tab.disconnect()
    await other_tab.disconnect()


async def test_refused_for_a_space_the_person_cannot_read(ws_communicator, member, other_organisation):
    def setup():
        space = make_space("prive", Visibility.LISTED, organisations=[member.organisation])
        return space.pk, make_member(other_organisation)

    space_id, stranger = await database_sync_to_async(setup)()
    comm = await connect(ws_communicator, stranger)
    await comm.send_json_to({"type": "follow.set", "space": space_id, "payload": {"mode": "follow"}})
    error = await comm.receive_json_from()
    assert error["payload"]["code"] == "unknown_space" and error["payload"]["ref"] == "follow.set"
    await comm.send_json_to({"type": "follow.set", "space": space_id, "payload": {}})
    assert (await comm.receive_json_from())["payload"]["code"] == "missing_field"
    assert await follows() == []
    await comm.disconnect()
