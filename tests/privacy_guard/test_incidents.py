"""The register of confidentiality incidents in the admin: for its keepers, exported safely."""

import pytest
from django.urls import reverse

from tcri_site.privacy_guard.models import ConfidentialityIncident, IncidentStatus

pytestmark = pytest.mark.django_db


def incident(**kwargs):
    fields = {
        "known_on": "2026-11-20",
        "occurred_on": "2026-11-18",
        "nature": "Courriel envoyé au mauvais organisme",
        "information_concerned": "Nom et statut migratoire",
        "people_count": 2,
    }
    return ConfidentialityIncident.objects.create(**{**fields, **kwargs})


def index_url():
    return reverse("wagtailsnippets_privacy_guard_confidentialityincident:list")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("project_lead", True), ("administrator", True), ("coordinator", False), ("member", False), ("delegate", False)],
)
def test_only_staff_see_the_register(client, request, who, allowed):
    user = request.getfixturevalue(who)
    user.is_staff = True  # even with access to the admin
    user.save()
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    incident()
    client.force_login(user)
    response = client.get(index_url())
    if allowed:
        assert response.status_code == 200
        assert "Courriel envoyé au mauvais organisme" in response.content.decode()
    else:
        assert response.status_code in (302, 403)
        assert "Courriel envoyé" not in response.content.decode()


def test_model_permission_does_not_open_it(client, member):
    from django.contrib.auth.models import Permission

    member.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(content_type__app_label="privacy_guard"),
    )
    client.force_login(member)
    assert client.get(index_url()).status_code in (302, 403)


def test_keeper_adds_an_incident_and_is_recorded(client, project_lead):
    client.force_login(project_lead)
    url = reverse("wagtailsnippets_privacy_guard_confidentialityincident:add")
    response = client.post(
        url,
        {
            "known_on": "2026-11-20",
            "occurred_on": "",
            "nature": "Perte d'une clé USB",
            "information_concerned": "Liste de participant·es",
            "people_count": "12",
            "people_description": "Participant·es de la formation du 3 novembre",
            "risk": "serious",
            "risk_assessment": "Noms et organismes ; clé non chiffrée",
            "measures": "Avis aux personnes, chiffrement obligatoire",
            "cai_notified_on": "2026-11-22",
            "people_notified_on": "2026-11-23",
            "status": IncidentStatus.CONTAINED,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = ConfidentialityIncident.objects.get()
    assert saved.recorded_by == project_lead and saved.people_count == 12


def test_export_neutralises_formulas(client, project_lead):
    incident(nature='=HYPERLINK("http://evil.example/","clic")')
    client.force_login(project_lead)
    response = client.get(index_url() + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    assert "'=HYPERLINK" in body
    assert "Date de l’incident" in body or "date de l'incident" in body.lower()
