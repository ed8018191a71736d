"""The sitting's pages: the projector has no site chrome and nothing personal; the session
page's panel; the actions answer JSON to the script and redirect without it; the roll
call's server-side filter."""

import pytest
from django.urls import reverse

from advocacy.models import AgendaItem, Attendance, Projection, Speech
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(forum_session):
    return AgendaItem.objects.create(session=forum_session, sort_order=1, title="Point 1 : accueil")


def test_projector_page_has_no_chrome_and_needs_membership(client, forum_session, member, outsider):
    url = reverse("advocacy:projector_wall", args=[forum_session.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(member)
    html = client.get(url).content.decode()
    assert "projector-state" in html and "main-nav" not in html and "site-header" not in html
    assert member.email not in html and "notifications" not in html


def test_chair_projects_by_fetch_and_by_form(client, forum_session, item, project_lead, delegate):
    url = reverse("advocacy:project", args=[forum_session.pk])
    client.force_login(delegate)
    answer = client.post(url, {"kind": "item", "item": item.pk}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 403 and answer.json()["message"] and not Projection.objects.exists()
    client.force_login(project_lead)
    answer = client.post(url, {"kind": "item", "item": item.pk}, HTTP_ACCEPT="application/json")
    assert answer.json()["ok"] and Projection.objects.get().agenda_item == item
    assert client.post(url, {"kind": "speakers"}).status_code == 302


def test_hand_and_roll_call_by_fetch(client, forum_session, item, project_lead, delegate):
    client.force_login(delegate)
    raise_url = reverse("advocacy:speakers_action", args=[forum_session.pk, "raise"])
    assert client.post(raise_url, {"item": item.pk}, HTTP_ACCEPT="application/json").json()["ok"]
    again = client.post(raise_url, {"item": item.pk}, HTTP_ACCEPT="application/json")
    assert again.status_code == 409 and again.json()["code"] == "already_waiting"
    assert Speech.objects.count() == 1
    check_in = reverse("advocacy:rollcall_action", args=[forum_session.pk, "repondre"])
    assert client.post(check_in, {"mode": "on_site"}, HTTP_ACCEPT="application/json").json()["code"] == "roll_call_closed"
    client.force_login(project_lead)
    assert client.post(reverse("advocacy:rollcall_action", args=[forum_session.pk, "ouvrir"]), HTTP_ACCEPT="application/json").json()["ok"]
    mark = reverse("advocacy:rollcall_action", args=[forum_session.pk, "marquer"])
    org = delegate.active_membership.organisation
    assert client.post(mark, {"organisation": [org.pk], "choice": "online"}, HTTP_ACCEPT="application/json").json()["ok"]
    assert Attendance.objects.get().mode == "online"


def test_session_page_panel_and_server_side_filter(client, forum_session, item, project_lead, delegate):
    OrganisationFactory(name="Accueil Zèbre du Nord", region="08")
    client.force_login(project_lead)
    page = client.get(reverse("advocacy:session", args=[forum_session.pk]) + "?q=zèbre").content.decode()
    assert "Accueil Zèbre du Nord" in page and 'data-roll-form' in page and "sitting-initial" in page
    page = client.get(reverse("advocacy:session", args=[forum_session.pk]) + "?region=01").content.decode()
    assert "Accueil Zèbre du Nord" not in page
    client.force_login(delegate)
    page = client.get(reverse("advocacy:session", args=[forum_session.pk])).content.decode()
    assert 'aria-pressed="false"' in page and "data-roll-form" not in page and "Demander la parole" in page
