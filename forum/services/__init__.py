"""Every change to the exchange spaces: views, the consumer, the admin and the seeder call these.

``check_*`` raise a ``ForumRefusal`` (forum/errors.py: a code for the protocol and a
translated message for people); ``do_*`` take ``actor=`` first, change the database in one
transaction, append a ``ThreadEvent`` under the thread's row lock (so sequence numbers are
gap-free and commit in order), and broadcast it with ``send_event_on_commit``: nothing is
announced that was not stored.

  checks.py      input limits, rate limit, access to a thread
  events.py      thread events: wire format, recording, broadcasting, replay
  messages.py    posting, editing, deleting messages; new threads; reply/mention notices
  moderation.py  hiding, locking, pinning; reports (the only writer of Report.status)
  reading.py     read markers and unread counts
  following.py   following and muting threads and spaces; followers' notices
  reactions.py   reactions to messages (set, unset, summaries)
  previews.py    thumbnails of attached images (Pillow), made at upload
  redaction.py   moderators replace client identifiers by "[retiré]", history purged
  live.py        what the socket asks: presence, subscriptions, heartbeat, access re-checks
"""

from forum.errors import ForumRefusal
from forum.groups import space_group, user_group
from forum.services.checks import (
    check_attachments,
    check_body,
    check_client_id,
    check_may_read_thread,
    check_rate_limit,
)
from forum.services.events import (
    display_name,
    envelope,
    events_after,
    message_payload,
    thread_payload,
)
from forum.services.following import (
    check_may_follow,
    do_set_follow,
    is_muted,
    mode_of,
)
from forum.services.live import (
    Subscription,
    check_may_read_space,
    current_seq,
    do_heartbeat,
    do_join_presence,
    do_leave_presence,
    do_open_subscription,
    do_touch_presence,
    lost_access,
    missed_events,
    readers,
)
from forum.services.messages import (
    PostResult,
    do_create_thread,
    do_delete_message,
    do_edit_message,
    do_post_message,
    mentioned_handles,
    resolve_mentions,
)
from forum.services.moderation import (
    do_report_message,
    do_resolve_report,
    do_set_hidden,
    do_set_thread_flags,
)
from forum.services.previews import do_make_missing_previews, render_preview
from forum.services.reactions import (
    check_may_react,
    do_set_reaction,
    reaction_choices,
    reactions_by_message,
)
from forum.services.reading import (
    annotate_unread,
    do_mark_read,
    last_read_of,
    last_read_subquery,
    unread_threads_by_space,
)
from forum.services.redaction import do_redact_message

__all__ = [
    "ForumRefusal",
    "PostResult",
    "Subscription",
    "annotate_unread",
    "check_attachments",
    "check_body",
    "check_client_id",
    "check_may_read_space",
    "check_may_follow",
    "check_may_react",
    "check_may_read_thread",
    "check_rate_limit",
    "current_seq",
    "display_name",
    "do_create_thread",
    "do_delete_message",
    "do_edit_message",
    "do_heartbeat",
    "do_join_presence",
    "do_make_missing_previews",
    "do_leave_presence",
    "do_mark_read",
    "do_open_subscription",
    "do_post_message",
    "do_redact_message",
    "do_report_message",
    "do_resolve_report",
    "do_set_follow",
    "do_set_hidden",
    "do_set_reaction",
    "do_set_thread_flags",
    "do_touch_presence",
    "envelope",
    "events_after",
    "is_muted",
    "last_read_of",
    "last_read_subquery",
    "lost_access",
    "mentioned_handles",
    "message_payload",
    "mode_of",
    "missed_events",
    "reaction_choices",
    "reactions_by_message",
    "readers",
    "render_preview",
    "resolve_mentions",
    "space_group",
    "thread_payload",
    "unread_threads_by_space",
    "user_group",
]
