"""Door 3: repeated failed logins lock the account (and the address) out; staff unlock."""

import pytest
from django.conf import settings

from tests.factories import make_member

pytestmark = pytest.mark.django_db

LOGIN = "/comptes/connexion/"
PASSWORD = "le-bon-mot-de-passe-42"


@pytest.fixture
def person(organisation):
    user = make_member(organisation, email="victime@org.example")
    user.set_password(PASSWORD)
    user.save()
    return user


def _fail(client, n, email="victime@org.example", ip="203.0.113.7"):
    for _ in range(n):
        client.post(LOGIN, {"username": email, "password": "mauvais"}, REMOTE_ADDR=ip)


def test_right_password_refused_after_too_many_failures(client, person):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    response = client.post(LOGIN, {"username": person.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Trop de tentatives de connexion" in body and "15 minutes" in body
    assert "<form" in body  # the login page, not a bare error text
    assert "_auth_user_id" not in client.session


def test_case_changes_do_not_reset_the_count(client, person):
    _fail(client, settings.AXES_FAILURE_LIMIT, email="Victime@Org.Example")
    response = client.post(LOGIN, {"username": person.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429


def test_address_is_locked_for_every_account(client, person, organisation):
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": f"x{i}@org.example", "password": "mauvais"}, REMOTE_ADDR="203.0.113.8")
    response = client.post(LOGIN, {"username": person.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.8")
    assert response.status_code == 429


def test_lockout_message_in_english(client, person):
    _fail(client, settings.AXES_FAILURE_LIMIT)
    response = client.post("/en" + LOGIN, {"username": person.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()


def test_staff_unlock_lets_the_person_in(client, person, project_lead):
    from axes.models import AccessAttempt

    _fail(client, settings.AXES_FAILURE_LIMIT)
    staff = client.__class__()
    staff.force_login(project_lead)
    page = staff.get("/admin/connexions-bloquees/")
    assert page.status_code == 200 and "victime@org.example" in page.content.decode()
    for attempt in AccessAttempt.objects.all():
        assert staff.post("/admin/connexions-bloquees/", {"attempt": attempt.pk}).status_code == 302
    assert not AccessAttempt.objects.exists()
    response = client.post(LOGIN, {"username": person.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_members_cannot_unlock(client, member):
    client.force_login(member)
    assert client.get("/admin/connexions-bloquees/").status_code in (302, 403)


def test_wagtail_admin_login_is_throttled_too(client, project_lead):
    project_lead.set_password(PASSWORD)
    project_lead.save()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": project_lead.email, "password": "mauvais"})
    response = client.post("/admin/login/", {"username": project_lead.email, "password": PASSWORD})
    assert response.status_code == 429
