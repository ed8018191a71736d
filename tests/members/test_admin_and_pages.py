import pytest

from tcri_site.members.models import Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["project_lead", "administrator"])
def test_staff_reach_the_admin_and_manage_organisations(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/admin/").status_code == 200
    OrganisationFactory(name="Carrefour Essai", region="05")
    listing = client.get("/admin/snippets/members/organisation/?region=05")
    assert listing.status_code == 200
    assert "Carrefour Essai" in listing.content.decode()
    assert client.get(f"/admin/snippets/members/membership/?role={Role.DELEGUE}").status_code == 200
    assert client.get("/admin/inviter/").status_code == 200


def test_organisation_csv_export(client, project_lead):
    OrganisationFactory(name="Maison Écluse", acronym="ME", volets=[2, 4])
    client.force_login(project_lead)
    response = client.get("/admin/snippets/members/organisation/?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Maison Écluse" in body and "2, 4" in body


@pytest.mark.parametrize("who", ["member", "delegate", "outsider"])
def test_admin_is_refused_to_members(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get("/admin/")
    assert response.status_code in (302, 403)
    assert "/admin/login/" in response.get("Location", "/admin/login/")
    assert client.get("/admin/inviter/").status_code in (302, 403)


def test_admin_invite_sends_a_link(client, project_lead, organisation, django_capture_on_commit_callbacks, mailoutbox):
    client.force_login(project_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/inviter/",
            {"email": "invitee@test.tcri.example", "organisation": organisation.pk, "role": Role.MEMBRE, "language": "en"},
        )
    assert response.status_code == 302
    assert mailoutbox[0].to == ["invitee@test.tcri.example"]
    assert "/en/comptes/invitation/" in mailoutbox[0].body


def test_directory_and_organisation_page(client, member, organisation, django_assert_max_num_queries):
    for i in range(30):
        OrganisationFactory(name=f"Relais {i}", region="06")
    client.force_login(member)
    with django_assert_max_num_queries(14):  # 2 of them the menu's catalogue page (constant)
        response = client.get("/comptes/organismes/?region=06")
    assert response.status_code == 200
    page = client.get(organisation.get_absolute_url())
    assert member.get_full_name() in page.content.decode()


def test_directory_refused_to_anonymous_and_outsiders(client, outsider):
    assert client.get("/comptes/organismes/").status_code == 302
    client.force_login(outsider)
    assert client.get("/comptes/organismes/").status_code == 403


def test_home_page_lists_volets_and_skip_link(client):
    body = client.get("/").content.decode()
    assert 'class="skip-link" href="#contenu"' in body
    assert "Soutien aux personnes ayant demandé l&#x27;asile" in body
    body_en = client.get("/en/").content.decode()
    assert "Skip to content" in body_en
