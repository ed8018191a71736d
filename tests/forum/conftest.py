"""Spaces, threads and messages for the forum tests."""

import pytest

from forum import services
from forum.models import Space, Thread, Visibility


def make_space(slug="general", visibility=Visibility.ALL_MEMBERS, organisations=(), moderators=()):
    space = Space.objects.create(name=f"Espace {slug}", slug=slug, visibility=visibility)
    if organisations:
        space.organisations.set(organisations)
    if moderators:
        space.moderators.set(moderators)
    return space


def make_thread(space, author, title="Un fil", body="Premier message", **flags):
    thread = services.do_create_thread(actor=author, space=space, title=title, body=body)
    if flags:
        Thread.objects.filter(pk=thread.pk).update(**flags)
        thread.refresh_from_db()
    return thread


@pytest.fixture
def space(db):
    return make_space()


@pytest.fixture
def thread(space, member):
    return make_thread(space, member)


@pytest.fixture
def colleague(organisation):
    from tcri_site.members.models import Role
    from tests.factories import make_member

    return make_member(organisation, Role.MEMBRE)
