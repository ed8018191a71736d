import pytest
from django.urls import reverse

from forum.models import Visibility
from tests.factories import make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


def test_home_lists_recent_threads_the_person_may_read(client, member, other_organisation):
    make_thread(make_space("ouvert"), member, title="Fil visible")
    stranger = make_member(other_organisation)
    make_thread(make_space("prive", Visibility.LISTED, organisations=[other_organisation]), stranger, title="Fil caché")
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert "Discussions récentes" in html
    assert "Fil visible" in html and "Fil caché" not in html
