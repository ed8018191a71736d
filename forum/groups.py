"""Channel-layer group names of the exchange spaces, defined here and nowhere else.

Services broadcast to them, consumers and the process hub (forum/fanout.py) join them.
"""

EVERY_SOCKET = "forum.sockets"  # every forum socket: told to re-check access (forum/access.py)


def thread_group(thread_id: int) -> str:
    """Stored thread events, on the ``fanout`` layer: one member per server process."""
    return f"forum.thread.{thread_id}"


def thread_live_group(thread_id: int) -> str:
    """Ephemeral frames of a thread (typing, presence): one member per socket."""
    return f"forum.thread.{thread_id}.live"


def user_group(user_id: int) -> str:
    """A person's forum sockets (read markers of their other tabs, access re-checks)."""
    return f"forum.user.{user_id}"


def space_group(space_id: int) -> str:
    """Sockets following a space's activity (``subscribe_space``)."""
    return f"forum.space.{space_id}"
