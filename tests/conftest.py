"""Fixtures shared by the whole suite: people in every role, and WebSocket helpers."""

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from tcri_site.members.models import Role, StaffRole
from tests.factories import OrganisationFactory, make_member, make_staff


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    settings.LANGUAGE_CODE = "fr"


@pytest.fixture
def organisation(db):
    return OrganisationFactory(volets=[1, 4])


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(volets=[2])


@pytest.fixture
def member(organisation):
    return make_member(organisation, Role.MEMBRE)


@pytest.fixture
def coordinator(organisation):
    user = make_member(organisation, Role.MEMBRE)
    user.active_membership.is_coordinator = True
    user.active_membership.save()
    return user


@pytest.fixture
def delegate(organisation):
    return make_member(organisation, Role.DELEGUE)


@pytest.fixture
def substitute(organisation):
    return make_member(organisation, Role.SUBSTITUT)


@pytest.fixture
def project_lead(db):
    return make_staff(StaffRole.PROJECT_LEAD)


@pytest.fixture
def administrator(db):
    return make_staff(StaffRole.ADMINISTRATOR)


@pytest.fixture
def outsider(db):
    """Signed in, but belongs to no organisation and holds no staff role."""
    from tests.factories import UserFactory

    return UserFactory()


def session_headers(client, user) -> list[tuple[bytes, bytes]]:
    """Headers of a real Django session for ``user``, as a browser would send them."""
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
    ]


@pytest.fixture
def ws_communicator(client):
    """Build a WebsocketCommunicator on the real ASGI application, signed in as ``user``.

    Tests using it need ``@pytest.mark.django_db(transaction=True)``: the consumer reads
    the database from another thread.
    """
    from tcri_site.asgi import application

    def build(path: str, user=None) -> WebsocketCommunicator:
        headers = session_headers(client, user) if user else [(b"origin", b"http://testserver")]
        return WebsocketCommunicator(application, path, headers=headers)

    return build
