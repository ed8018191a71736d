"""Fixtures shared by the whole suite: people in every role, and WebSocket helpers."""

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings

from tcri_site import live
from tcri_site.members.models import Role, StaffRole
from tests.factories import OrganisationFactory, make_member, make_staff


@pytest.fixture(scope="session", autouse=True)
def _close_the_database_thread_connections(django_db_setup):
    """Close what async tests opened in asgiref's database thread before the test database
    is dropped (PostgreSQL refuses to drop a database somebody is still connected to)."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, so what a page costs (Wagtail's site root
    paths, the privacy policy's version…) does not depend on which test ran before in the
    process: pytest-xdist deals the files out differently from run to run. With Redis only
    this process's keys go: ``cache.clear()`` on Redis empties the whole database, the
    channel layers of the other test worker's live servers included (their sockets then
    stop hearing their groups). Rate-limit counters start from zero too."""
    from django.core.cache import cache

    if hasattr(cache, "_cache") and hasattr(cache._cache, "get_client"):
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    settings.LANGUAGE_CODE = "fr"


def ensure_baseline() -> None:
    """Put back what migrations create (volets, page tree, site, collections, staff groups).

    Transactional tests end with a flush that empties every table, data migrations' rows
    included; the tests after them expect the database as ``migrate`` leaves it.
    """
    from wagtail.models import Collection, Locale, Page, Site

    from tcri_site.home.models import HomePage
    from tcri_site.members.models import Volet
    from tcri_site.members.roles import ensure_staff_groups

    if Volet.objects.exists():
        return
    Volet.objects.bulk_create([Volet(number=n) for n in range(1, 6)])
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=fr)
    )
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not HomePage.objects.exists():
        home = root.add_child(
            instance=HomePage(title="Espace TCRI-PASI", slug="accueil", locale=fr, intro="<p>Test</p>")
        )
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
        )
    ensure_staff_groups()


@pytest.fixture(autouse=True)
def _baseline_data(request):
    names = request.fixturenames
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif request.node.get_closest_marker("django_db") is None:
        yield
        return
    ensure_baseline()
    yield
    # Work deferred by the test (search indexing of a message posted over a socket runs
    # 50 ms later in the database thread) must be over before the database is emptied:
    # a flush racing with it deadlocks on PostgreSQL.
    assert live.drain(), "deferred work still running 10 s after the test"


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
