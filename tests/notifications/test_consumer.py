"""The live unread badge over /ws/notifications/, on the real ASGI app with real sessions."""

import pytest
from channels.db import database_sync_to_async

from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import mark_read, notify
from tests.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


async def test_anonymous_is_accepted_then_closed_with_4401(ws_communicator):
    communicator = ws_communicator("/ws/notifications/")
    connected, _ = await communicator.connect()
    assert connected
    error = await communicator.receive_json_from()
    assert error["type"] == "error" and error["code"] == "not_authenticated" and error["message"]
    closed = await communicator.receive_output()
    assert closed == {"type": "websocket.close", "code": 4401}


async def test_count_on_connect_then_pushed_on_notify_and_mark_read(ws_communicator, organisation):
    person = await database_sync_to_async(make_member)(organisation)
    other = await database_sync_to_async(make_member)(organisation)
    await database_sync_to_async(notify)([person], kind=Kind.REPLY, title="Déjà là")

    communicator = await database_sync_to_async(ws_communicator)("/ws/notifications/", person)
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_json_from() == {"type": "notifications.unread", "unread": 1}

    # Another person's notification is not announced to this socket.
    await database_sync_to_async(notify)([other], kind=Kind.MENTION, title="Pour l'autre")
    assert await communicator.receive_nothing(timeout=0.3)

    await database_sync_to_async(notify)([person, other], kind=Kind.MENTION, title="Mention")
    assert await communicator.receive_json_from(timeout=3) == {
        "type": "notifications.unread",
        "unread": 2,
    }

    await database_sync_to_async(mark_read)(person)
    assert await communicator.receive_json_from(timeout=3) == {
        "type": "notifications.unread",
        "unread": 0,
    }

    await communicator.send_json_to({"type": "ping"})
    assert await communicator.receive_json_from() == {"type": "pong"}
    await communicator.send_to(text_data="not json")
    assert (await communicator.receive_json_from())["code"] == "invalid_json"
    await communicator.send_json_to({"type": "bogus"})
    assert (await communicator.receive_json_from())["code"] == "unknown_type"
    await communicator.disconnect()


async def test_a_rolled_back_notification_announces_nothing(ws_communicator, organisation):
    from django.db import transaction

    person = await database_sync_to_async(make_member)(organisation)
    communicator = await database_sync_to_async(ws_communicator)("/ws/notifications/", person)
    await communicator.connect()
    assert (await communicator.receive_json_from())["unread"] == 0

    def failing_change():
        with transaction.atomic():
            notify([person], kind=Kind.VOTE, title="Vote")
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(failing_change)()
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_a_person_outside_the_workspace_is_closed_with_4403(ws_communicator):
    from tests.factories import UserFactory

    outsider = await database_sync_to_async(UserFactory)()
    communicator = await database_sync_to_async(ws_communicator)("/ws/notifications/", outsider)
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["code"] == "forbidden"
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_bad_frames_get_an_error_and_the_socket_stays_usable(ws_communicator, organisation):
    from tests.socket_frames import assert_bad_frames_answered

    person = await database_sync_to_async(make_member)(organisation)
    communicator = await database_sync_to_async(ws_communicator)("/ws/notifications/", person)
    assert (await communicator.connect())[0]
    assert (await communicator.receive_json_from())["type"] == "notifications.unread"
    await assert_bad_frames_answered(communicator)
    await communicator.disconnect()


async def test_flooding_closes_with_4429(ws_communicator, organisation):
    from tests.socket_frames import assert_flooding_closes

    person = await database_sync_to_async(make_member)(organisation)
    communicator = await database_sync_to_async(ws_communicator)("/ws/notifications/", person)
    assert (await communicator.connect())[0]
    await communicator.receive_json_from()
    await assert_flooding_closes(communicator)
