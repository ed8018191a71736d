"""The forum's fixtures (a space, a thread by a member) for the confirmation tests."""

from tests.forum.conftest import _fresh_cache, colleague, space, thread  # noqa: F401
