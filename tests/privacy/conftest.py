"""The forum's fixtures (a session with an open motion) reused by the privacy tests."""

from tests.advocacy.conftest import forum_session, make_orgs, open_motion  # noqa: F401
