"""The forum's fixtures (a space, a thread by a member) for the confirmation tests."""

from tests.forum.conftest import colleague, space, thread  # noqa: F401
