"""Channel-layer group names of the forum, built here only: the services send to them,
the consumers join them."""


def motion_group(motion_id: int) -> str:
    """Sockets watching one vote (vote page, projector, voters)."""
    return f"advocacy.motion.{motion_id}"


def session_group(session_id: int) -> str:
    """Sockets watching one session's page (quorum, organisations present)."""
    return f"advocacy.session.{session_id}"
