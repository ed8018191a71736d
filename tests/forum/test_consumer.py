"""The /ws/forum/ endpoint against the real ASGI application, with real sessions."""

import asyncio
import json

import pytest
from channels.db import database_sync_to_async

from forum import services
from forum.models import Message, ReadMarker, Thread, Visibility
from tcri_site import live
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db(transaction=True)

PATH = "/ws/forum/"


async def connect(ws_communicator, user, path=PATH):
    comm = await database_sync_to_async(ws_communicator)(path, user)
    connected, _ = await comm.connect()
    assert connected
    return comm


async def next_of(comm, *types, timeout=10):
    """The next frame of one of ``types``, skipping others (an unexpected error fails)."""
    while True:
        frame = await comm.receive_json_from(timeout=timeout)
        if frame["type"] in types:
            return frame
        assert frame["type"] != "error", frame


async def drain(comm, wait=0.2):
    frames = []
    while not await comm.receive_nothing(timeout=wait):
        frames.append(await comm.receive_json_from())
    return frames


async def subscribe(comm, thread, last_seq=None):
    frame = {"type": "subscribe", "thread": thread.pk}
    if last_seq is not None:
        frame["last_seq"] = last_seq
    await comm.send_json_to(frame)
    return await next_of(comm, "subscribed")


async def assert_usable(comm):
    await comm.send_json_to({"type": "ping"})
    assert (await next_of(comm, "pong"))["type"] == "pong"


count_messages = database_sync_to_async(lambda: Message.objects.count())


# --- Connection and close codes ---------------------------------------------------------


async def test_anonymous_is_accepted_then_closed_with_4401(ws_communicator):
    comm = ws_communicator(PATH)
    connected, _ = await comm.connect()
    assert connected  # accepted first, so a browser sees the close code
    error = await comm.receive_json_from()
    assert error["type"] == "error" and error["payload"]["code"] == "not_authenticated"
    assert await comm.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_person_without_organisation_is_closed_with_4403(ws_communicator, outsider):
    comm = await connect(ws_communicator, outsider)
    error = await comm.receive_json_from()
    assert error["payload"]["code"] == "forbidden"
    assert await comm.receive_output() == {"type": "websocket.close", "code": 4403}


async def test_unknown_thread_in_query_closes_with_4404(ws_communicator, member):
    comm = await connect(ws_communicator, member, f"{PATH}?thread=999999")
    error = await comm.receive_json_from()
    assert error["payload"]["code"] == "unknown_thread"
    assert await comm.receive_output() == {"type": "websocket.close", "code": 4404}


async def test_thread_in_query_subscribes(ws_communicator, member, thread):
    comm = await connect(ws_communicator, member, f"{PATH}?thread={thread.pk}")
    frame = await next_of(comm, "subscribed")
    assert frame["thread"] == thread.pk and frame["seq"] == 1
    await comm.disconnect()


# --- Posting, acknowledgements, idempotency ----------------------------------------------


async def test_message_posted_over_socket_reaches_every_subscriber(
    ws_communicator, member, colleague, thread
):
    a = await connect(ws_communicator, member)
    b = await connect(ws_communicator, colleague)
    sub = await subscribe(a, thread)
    await subscribe(b, thread)
    await a.send_json_to(
        {"type": "message.create", "thread": thread.pk, "client_id": "c-1", "payload": {"body": "Salut **B**"}}
    )
    # The acknowledgement and the event may come in either order.
    first = await next_of(a, "ack", "message.created")
    second = await next_of(a, "message.created" if first["type"] == "ack" else "ack")
    ack, own_event = (first, second) if first["type"] == "ack" else (second, first)
    assert ack["client_id"] == "c-1" and ack["payload"] == {"ref": "message.create", "created": True}
    assert ack["seq"] == sub["seq"] + 1
    for event in (own_event, await next_of(b, "message.created")):
        assert event["id"] == ack["id"] and event["seq"] == ack["seq"]
        assert event["client_id"] == "c-1" and event["thread"] == thread.pk
        assert event["payload"]["html"] == "<p>Salut <strong>B</strong></p>\n"
        assert event["payload"]["author"]["id"] == member.pk
    stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    assert stored.body == "Salut **B**"
    await a.disconnect()
    await b.disconnect()


async def test_resent_client_id_is_a_no_op(ws_communicator, member, colleague, thread):
    a = await connect(ws_communicator, member)
    b = await connect(ws_communicator, colleague)
    await subscribe(a, thread)
    await subscribe(b, thread)
    before = await count_messages()
    frame = {"type": "message.create", "thread": thread.pk, "client_id": "same", "payload": {"body": "Une fois"}}
    await a.send_json_to(frame)
    first = await next_of(a, "ack")
    await a.send_json_to(frame)
    second = await next_of(a, "ack")
    assert second["id"] == first["id"] and second["payload"]["created"] is False
    assert await count_messages() == before + 1
    received = [f for f in await drain(b, 0.5) if f["type"] == "message.created"]
    assert [f["id"] for f in received] == [first["id"]]  # no duplicate broadcast
    await a.disconnect()
    await b.disconnect()


async def test_http_and_socket_posts_share_the_service(client, ws_communicator, member, colleague, thread):
    b = await connect(ws_communicator, colleague)
    await subscribe(b, thread)

    def post_http():
        client.force_login(member)
        return client.post(thread.get_absolute_url(), {"body": "Par formulaire", "client_id": "http-1"})

    response = await database_sync_to_async(post_http)()
    assert response.status_code == 302
    event = await next_of(b, "message.created")
    assert event["payload"]["body"] == "Par formulaire" and event["client_id"] == "http-1"
    await b.disconnect()


# --- Bad input is answered, never fatal ---------------------------------------------------


BAD_FRAMES = [
    ("not json", "invalid_json"),
    (json.dumps([1, 2]), "bad_request"),
    (json.dumps({"type": "bogus"}), "unknown_type"),
    (json.dumps({"type": "message.create", "payload": {"body": "x"}}), "missing_field"),
    (json.dumps({"type": "message.create", "thread": "abc", "payload": {"body": "x"}}), "missing_field"),
    (json.dumps({"type": "subscribe"}), "missing_field"),
    (json.dumps({"type": "read", "thread": 1}), "missing_field"),
]


@pytest.mark.parametrize(("raw", "code"), BAD_FRAMES)
async def test_bad_frames_get_an_error_and_the_socket_stays_usable(ws_communicator, member, thread, raw, code):
    comm = await connect(ws_communicator, member)
    before = await count_messages()
    await comm.send_to(text_data=raw)
    error = await next_of(comm, "error")
    assert error["payload"]["code"] == code
    assert error["payload"]["message"]
    await assert_usable(comm)
    assert await count_messages() == before
    await comm.disconnect()


async def test_oversized_frame_is_refused_without_closing(ws_communicator, member, thread):
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    before = await count_messages()
    huge = {"type": "message.create", "thread": thread.pk, "payload": {"body": "a" * 70_000}}
    await comm.send_json_to(huge)
    error = await next_of(comm, "error")
    assert error["payload"]["code"] == "frame_too_large"
    await assert_usable(comm)
    assert await count_messages() == before
    await comm.disconnect()


@pytest.mark.parametrize(
    ("body", "code"), [("", "empty_message"), ("   \n ", "empty_message"), ("b" * 10_001, "message_too_long"), (42, "missing_field")]
)
async def test_empty_or_too_long_message_is_refused(ws_communicator, member, thread, body, code):
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    before = await count_messages()
    await comm.send_json_to({"type": "message.create", "thread": thread.pk, "client_id": "k", "payload": {"body": body}})
    error = await next_of(comm, "error")
    assert error["payload"]["code"] == code and error["client_id"] == "k"
    await assert_usable(comm)
    assert await count_messages() == before
    await comm.disconnect()


async def test_forbidden_and_unknown_threads_get_the_same_answer(
    ws_communicator, member, other_organisation
):
    from tcri_site.members.models import Role
    from tests.factories import make_member

    def private_thread():
        stranger = make_member(other_organisation, Role.MEMBRE)
        space = make_space("prive", Visibility.LISTED, organisations=[other_organisation])
        return make_thread(space, stranger, title="Secret", body="Contenu privé")

    secret = await database_sync_to_async(private_thread)()
    comm = await connect(ws_communicator, member)
    answers = []
    for thread_id in (secret.pk, 987654):
        await comm.send_json_to({"type": "subscribe", "thread": thread_id})
        error = await next_of(comm, "error")
        answers.append((error["payload"]["code"], error["payload"]["message"]))
    assert answers[0] == answers[1] == (answers[0][0], answers[0][1])
    assert answers[0][0] == "unknown_thread"
    # Posting there is refused the same way, and nothing leaks or is stored.
    before = await count_messages()
    await comm.send_json_to({"type": "message.create", "thread": secret.pk, "payload": {"body": "intrus"}})
    error = await next_of(comm, "error")
    assert error["payload"]["code"] == "unknown_thread"
    assert "Secret" not in json.dumps(error) and "privé" not in json.dumps(error)
    assert await count_messages() == before
    await comm.disconnect()


async def test_posting_in_a_locked_thread_is_refused(ws_communicator, member, space):
    thread = await database_sync_to_async(make_thread)(space, member, is_locked=True)
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    before = await count_messages()
    await comm.send_json_to({"type": "message.create", "thread": thread.pk, "payload": {"body": "Encore"}})
    error = await next_of(comm, "error")
    assert error["payload"]["code"] == "thread_locked"
    assert await count_messages() == before
    await assert_usable(comm)
    await comm.disconnect()


async def test_rate_limit_answers_with_an_error_and_stores_nothing(ws_communicator, member, thread, settings):
    settings.FORUM_RATE_LIMIT = "3/60"
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    before = await count_messages()
    codes = []
    for i in range(5):
        await comm.send_json_to({"type": "message.create", "thread": thread.pk, "client_id": f"r{i}", "payload": {"body": f"m{i}"}})
        frame = await next_of(comm, "ack", "error")
        codes.append(frame["payload"].get("code", "ok"))
    assert codes == ["ok", "ok", "ok", "rate_limited", "rate_limited"]
    assert await count_messages() == before + 3
    await assert_usable(comm)
    await comm.disconnect()


async def test_many_consecutive_bad_frames_close_with_4400(ws_communicator, member):
    comm = await connect(ws_communicator, member)
    for _ in range(20):
        await comm.send_to(text_data="{")
    frames = []
    while True:
        output = await comm.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
        frames.append(output)
    assert output["code"] == 4400
    assert len(frames) == 20


async def test_flooding_closes_with_4429(ws_communicator, member):
    comm = await connect(ws_communicator, member)
    for _ in range(125):
        await comm.send_json_to({"type": "ping"})
    while True:
        output = await comm.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4429


# --- Catch-up ----------------------------------------------------------------------------


async def test_reconnect_with_last_seq_replays_missed_events_in_order(
    ws_communicator, member, colleague, thread
):
    comm = await connect(ws_communicator, colleague)
    sub = await subscribe(comm, thread)
    seen = sub["seq"]
    await comm.disconnect()

    def while_away():
        ids = [
            services.do_post_message(actor=member, thread_id=thread.pk, body=f"manqué {i}").message.pk
            for i in range(3)
        ]
        services.do_edit_message(actor=member, message_id=ids[0], body="manqué 0 (corrigé)")
        return ids

    ids = await database_sync_to_async(while_away)()
    comm = await connect(ws_communicator, colleague)
    await subscribe(comm, thread, last_seq=seen)
    replay = [await next_of(comm, "message.created", "message.edited") for _ in range(4)]
    assert [f["seq"] for f in replay] == [seen + 1, seen + 2, seen + 3, seen + 4]
    assert [f["id"] for f in replay] == [*ids, ids[0]]
    assert replay[3]["type"] == "message.edited"
    # then live again, with the next seq and no duplicate
    await database_sync_to_async(services.do_post_message)(actor=member, thread_id=thread.pk, body="en direct")
    live = await next_of(comm, "message.created")
    assert live["seq"] == seen + 5
    assert not [f for f in await drain(comm) if f.get("seq")]
    await comm.disconnect()


async def test_gap_from_a_dropped_broadcast_is_repaired(ws_communicator, member, colleague, thread, monkeypatch):
    comm = await connect(ws_communicator, colleague)
    sub = await subscribe(comm, thread)
    real = live.group_send
    dropped = []

    def lossy(group, message, *args):
        if message.get("type") == "forum.event" and not dropped:
            dropped.append(message)  # the layer drops it (capacity reached)
            return
        real(group, message, *args)

    monkeypatch.setattr(live, "group_send", lossy)  # what send_event_on_commit calls
    await database_sync_to_async(services.do_post_message)(actor=member, thread_id=thread.pk, body="perdu")
    await database_sync_to_async(services.do_post_message)(actor=member, thread_id=thread.pk, body="suivant")
    first = await next_of(comm, "message.created")
    second = await next_of(comm, "message.created")
    assert dropped
    assert (first["payload"]["body"], second["payload"]["body"]) == ("perdu", "suivant")
    assert [first["seq"], second["seq"]] == [sub["seq"] + 1, sub["seq"] + 2]
    await comm.disconnect()


async def test_a_dropped_last_event_is_repaired_at_the_next_heartbeat(ws_communicator, member, colleague, thread, monkeypatch):
    comm = await connect(ws_communicator, colleague)
    sub = await subscribe(comm, thread)
    await drain(comm)
    real = live.group_send

    def lossy(group, message, *args):
        if message.get("type") != "forum.event":
            real(group, message, *args)  # every thread event is lost; nothing follows to show a gap

    monkeypatch.setattr(live, "group_send", lossy)  # what send_event_on_commit calls
    await database_sync_to_async(services.do_post_message)(actor=member, thread_id=thread.pk, body="dernier")
    assert not [f for f in await drain(comm, wait=0.5) if f["type"] == "message.created"]
    await comm.send_json_to({"type": "ping"})  # what the page sends every 30 s
    repaired = await next_of(comm, "message.created")
    assert repaired["payload"]["body"] == "dernier" and repaired["seq"] == sub["seq"] + 1
    await next_of(comm, "pong")
    await comm.send_json_to({"type": "ping"})
    await next_of(comm, "pong")
    assert not [f for f in await drain(comm) if f["type"] == "message.created"]  # no duplicate
    await comm.disconnect()


async def test_too_old_gap_asks_for_a_reload(ws_communicator, member, colleague, thread, settings):
    settings.FORUM_REPLAY_LIMIT = 2

    def posts():
        for i in range(4):
            services.do_post_message(actor=member, thread_id=thread.pk, body=f"vieux {i}")

    await database_sync_to_async(posts)()
    comm = await connect(ws_communicator, colleague)
    await subscribe(comm, thread, last_seq=0)
    frames = [await next_of(comm, "message.created", "resync") for _ in range(3)]
    assert [f["type"] for f in frames] == ["message.created", "message.created", "resync"]
    current = await database_sync_to_async(lambda: Thread.objects.get(pk=thread.pk).last_seq)()
    assert frames[2]["seq"] == current
    await comm.disconnect()


# --- Typing, presence, read markers -------------------------------------------------------


async def test_typing_and_presence(ws_communicator, member, colleague, thread):
    a = await connect(ws_communicator, member)
    b = await connect(ws_communicator, colleague)
    await subscribe(a, thread)
    await subscribe(b, thread)
    presence = await next_of(a, "presence")
    while len(presence["payload"]["readers"]) < 2:
        presence = await next_of(a, "presence")
    assert {r["id"] for r in presence["payload"]["readers"]} == {member.pk, colleague.pk}
    await drain(a)
    await drain(b)
    await a.send_json_to({"type": "typing", "thread": thread.pk})
    typing = await next_of(b, "typing")
    assert typing["payload"]["user"]["id"] == member.pk
    assert not [f for f in await drain(a) if f["type"] == "typing"]  # not echoed to oneself
    await b.disconnect()
    presence = await next_of(a, "presence")
    assert [r["id"] for r in presence["payload"]["readers"]] == [member.pk]
    await a.disconnect()


async def test_read_marker_is_stored_and_reaches_the_other_tabs(ws_communicator, member, colleague, thread):
    message = await database_sync_to_async(services.do_post_message)(
        actor=colleague, thread_id=thread.pk, body="à lire"
    )
    tab1 = await connect(ws_communicator, member)
    tab2 = await connect(ws_communicator, member)
    sub = await subscribe(tab1, thread)
    assert sub["payload"]["last_read_id"] < message.message.pk
    await tab1.send_json_to({"type": "read", "thread": thread.pk, "id": message.message.pk})
    ack = await next_of(tab1, "ack")
    assert ack["payload"]["last_read_id"] == message.message.pk
    marker = await next_of(tab2, "read.marker")
    assert marker["payload"]["last_read_id"] == message.message.pk
    stored = await database_sync_to_async(
        lambda: ReadMarker.objects.get(user=member, thread=thread).last_read_message_id
    )()
    assert stored == message.message.pk
    # markers never go back
    await tab1.send_json_to({"type": "read", "thread": thread.pk, "id": 1})
    assert (await next_of(tab1, "ack"))["payload"]["last_read_id"] == message.message.pk
    await tab1.disconnect()
    await tab2.disconnect()


# --- Edits, deletion, moderation ----------------------------------------------------------


async def test_edit_delete_hide_and_thread_flags_are_broadcast(
    ws_communicator, member, colleague, space, project_lead
):
    thread = await database_sync_to_async(make_thread)(space, member)
    mine = await database_sync_to_async(services.do_post_message)(actor=member, thread_id=thread.pk, body="v1")
    other = await database_sync_to_async(services.do_post_message)(actor=colleague, thread_id=thread.pk, body="gênant")
    a = await connect(ws_communicator, member)
    watcher = await connect(ws_communicator, colleague)
    mod = await connect(ws_communicator, project_lead)
    await subscribe(a, thread)
    await subscribe(watcher, thread)

    await a.send_json_to({"type": "message.edit", "id": mine.message.pk, "payload": {"body": "v2"}})
    assert (await next_of(a, "ack"))["payload"]["ref"] == "message.edit"
    edited = await next_of(watcher, "message.edited")
    assert edited["payload"]["body"] == "v2" and edited["payload"]["edited"] is True

    # a member cannot hide, edit or delete someone else's message
    for frame in (
        {"type": "message.hide", "id": other.message.pk},
        {"type": "message.edit", "id": other.message.pk, "payload": {"body": "piraté"}},
        {"type": "message.delete", "id": other.message.pk},
        {"type": "thread.lock", "thread": thread.pk},
    ):
        await a.send_json_to(frame)
        assert (await next_of(a, "error"))["payload"]["code"] == "forbidden"

    await mod.send_json_to({"type": "message.hide", "id": other.message.pk})
    await next_of(mod, "ack")
    hidden = await next_of(watcher, "message.hidden")
    assert hidden["payload"]["hidden"] is True and "body" not in hidden["payload"]

    await a.send_json_to({"type": "message.delete", "id": mine.message.pk})
    deleted = await next_of(watcher, "message.deleted")
    assert deleted["payload"]["deleted"] is True and "html" not in deleted["payload"]

    await mod.send_json_to({"type": "thread.lock", "thread": thread.pk})
    await next_of(mod, "ack")
    locked = await next_of(watcher, "thread.locked")
    assert locked["payload"] == {"id": thread.pk, "locked": True, "pinned": False}
    await mod.send_json_to({"type": "thread.pin", "thread": thread.pk})
    assert (await next_of(watcher, "thread.pinned"))["payload"]["pinned"] is True
    stored = await database_sync_to_async(Message.objects.get)(pk=mine.message.pk)
    assert stored.deleted_at is not None and stored.body == "v2"
    for comm in (a, watcher, mod):
        await comm.disconnect()


async def test_space_subscribers_hear_about_new_messages(ws_communicator, member, colleague, space, thread):
    comm = await connect(ws_communicator, colleague)
    await comm.send_json_to({"type": "subscribe_space", "space": space.pk})
    await next_of(comm, "ack")
    await database_sync_to_async(services.do_post_message)(actor=member, thread_id=thread.pk, body="nouveau")
    activity = await next_of(comm, "thread.activity")
    assert activity["thread"] == thread.pk and activity["payload"]["own"] is False
    await comm.disconnect()


async def test_connections_do_not_leak_database_connections(ws_communicator, member, thread):
    from django.db import connections

    for _ in range(3):
        comm = await connect(ws_communicator, member)
        await subscribe(comm, thread)
        await comm.disconnect()
    await asyncio.sleep(0.1)
    # database_sync_to_async closes old connections; the thread pool holds at most its own.
    open_connections = [c for c in connections.all(initialized_only=True) if c.connection is not None]
    assert len(open_connections) <= 1


async def test_errors_speak_the_person_s_language(ws_communicator, member):
    def english():
        member.language = "en"
        member.save(update_fields=["language"])

    await database_sync_to_async(english)()
    comm = await connect(ws_communicator, member)
    await comm.send_to(text_data="{oops")
    error = await next_of(comm, "error")
    assert error["payload"]["message"] == "Unreadable frame: invalid JSON."
    await comm.disconnect()


# --- Access lost while subscribed ------------------------------------------------------


async def test_a_space_closed_to_the_organisation_stops_the_open_subscription(
    ws_communicator, member, colleague, project_lead
):
    def setup():
        space = make_space(visibility=Visibility.LISTED)
        space.organisations.set([member.active_membership.organisation])
        return space, make_thread(space, colleague)

    space, thread = await database_sync_to_async(setup)()
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    await drain(comm)
    # Staff take the organisation off the space's list.
    await database_sync_to_async(lambda: space.organisations.clear())()
    error = await next_of_error(comm)
    assert error["payload"]["code"] == "forbidden" and error["thread"] == thread.pk
    # Nothing more from that thread reaches the socket, which stays usable.
    await database_sync_to_async(services.do_post_message)(actor=project_lead, thread_id=thread.pk, body="Secret")
    assert all(frame["type"] != "message.created" for frame in await drain(comm, wait=0.5))
    await assert_usable(comm)
    await comm.disconnect()


async def test_a_person_whose_membership_ends_is_closed_with_4403(ws_communicator, member, colleague):
    thread = await database_sync_to_async(lambda: make_thread(make_space(), colleague))()
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    await drain(comm)

    def end_membership():
        membership = member.active_membership
        membership.is_active = False
        membership.save()

    await database_sync_to_async(end_membership)()
    error = await next_of_error(comm)
    assert error["payload"]["code"] == "forbidden"
    assert await comm.receive_output(timeout=3) == {"type": "websocket.close", "code": 4403}


async def test_an_unrelated_change_leaves_subscriptions_alone(ws_communicator, member, colleague):
    thread = await database_sync_to_async(lambda: make_thread(make_space(), colleague))()
    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    await drain(comm)

    def rename_another_space():
        other = make_space(slug="autre")
        other.name = "Un autre espace"
        other.save()  # every socket checks again; this one keeps its thread

    await database_sync_to_async(rename_another_space)()
    await database_sync_to_async(lambda: services.do_post_message(actor=colleague, thread_id=thread.pk, body="Toujours là"))()
    created = await next_of(comm, "message.created")
    assert "Toujours là" in json.dumps(created, ensure_ascii=False)
    await comm.disconnect()


async def next_of_error(comm, timeout=3):
    while True:
        frame = await comm.receive_json_from(timeout=timeout)
        if frame["type"] == "error":
            return frame


# --- What every route does (tests/socket_frames.py) ----------------------------------------


async def test_every_bad_frame_gets_an_error_and_the_socket_stays_usable(ws_communicator, member, thread):
    from tests.socket_frames import assert_bad_frames_answered

    comm = await connect(ws_communicator, member)
    await subscribe(comm, thread)
    await drain(comm)
    await assert_bad_frames_answered(comm)
    await comm.disconnect()


async def test_flooding_closes_with_4429_after_an_error(ws_communicator, member):
    from tests.socket_frames import assert_flooding_closes

    comm = await connect(ws_communicator, member)
    await assert_flooding_closes(comm)
