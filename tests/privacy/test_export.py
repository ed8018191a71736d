"""A person downloads everything the workspace holds about them, and nothing of anyone else."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_export_holds_each_kind_of_record_and_nothing_else(client, rich_person, member, django_assert_max_num_queries):
    client.force_login(rich_person)
    with django_assert_max_num_queries(30):
        response = client.get("/confidentialite/mes-donnees.json")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["format"] == "tcri-pasi-personal-data/1" and data["person_id"] == rich_person.pk
    sections = data["sections"]
    assert sections["members"]["profile"]["email"] == rich_person.email
    assert sections["members"]["memberships"][0]["organisation"] == rich_person.organisation.name
    assert sections["trainings"]["registrations"][0]["attended"] is True
    assert len(sections["trainings"]["certificates"]) == 1
    assert sections["forum"]["messages"][0]["body"] == "Bonjour, message de la déléguée."
    assert sections["advocacy"]["comments"][0]["body"] == "Commentaire de la déléguée."
    assert sections["advocacy"]["roll_call_ballots"][0]["choice"] == "for"
    assert "Avis pour la déléguée" in [n["title"] for n in sections["notifications"]["received"]]
    assert sections["privacy"]["consents"][0]["version"] == 1
    text = response.content.decode()
    assert member.email not in text and "Texte du collègue seulement." not in text


def test_readable_summary(client, rich_person):
    client.force_login(rich_person)
    page = client.get("/confidentialite/mes-donnees/resume/").content.decode()
    assert "Zéphyrine" in page and "Commentaire de la déléguée." in page and "Votes par appel nominal" in page


def test_staff_produce_it_for_anyone_members_do_not(client, rich_person, project_lead, member):
    client.force_login(project_lead)
    response = client.get(f"/confidentialite/personnes/{rich_person.pk}.json")
    assert response.status_code == 200 and json.loads(response.content)["person_id"] == rich_person.pk
    assert rich_person.email in client.get("/confidentialite/personnes/", {"q": "personne"}).content.decode()
    client.force_login(member)
    assert client.get(f"/confidentialite/personnes/{rich_person.pk}.json").status_code == 403
