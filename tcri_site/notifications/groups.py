"""Channel-layer group names of notifications, defined here and nowhere else."""


def user_group(user_id: int) -> str:
    """A person's notification sockets (the live unread badge)."""
    return f"notifications.user.{user_id}"
