"""The privacy policy names its officer, is linked from every page, and must be accepted."""

from io import StringIO

import pytest

from tcri_site.privacy.models import PolicyAcceptance

pytestmark = pytest.mark.django_db


def test_policy_page_names_the_officer_and_is_in_the_footer(client, policy):
    page = client.get("/confidentialite/").content.decode()
    assert "Odile Test-Responsable" in page and "vie-privee@test.tcri.example" in page and "514 555-0100" in page
    assert "Texte français." in page and "Version 1" in page
    english = client.get("/en/confidentialite/").content.decode()
    assert "English text." in english
    assert 'href="/confidentialite/"' in client.get("/comptes/connexion/").content.decode()


def test_signed_in_person_accepts_before_anything_else(client, policy, member):
    client.force_login(member)
    response = client.get("/espaces/")
    assert response.status_code == 302 and response["Location"].startswith("/confidentialite/accepter/?next=%2Fespaces%2F")
    # The exempt doors stay open.
    assert client.get("/confidentialite/").status_code == 200
    assert client.get("/healthz").status_code == 200
    refused = client.post("/confidentialite/accepter/", {"next": "/espaces/"})
    assert refused.status_code == 400 and not PolicyAcceptance.objects.exists()
    accepted = client.post("/confidentialite/accepter/", {"accept": "on", "next": "/espaces/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/espaces/"
    record = PolicyAcceptance.objects.get(user=member)
    assert record.version == 1 and record.language == "fr"
    assert client.get("/espaces/").status_code == 200
    profile = client.get("/comptes/profil/").content.decode()
    assert "Version 1, acceptée le" in profile


def test_a_new_version_asks_again(client, policy, member):
    PolicyAcceptance.objects.create(user=member, version=1, language="fr")
    client.force_login(member)
    assert client.get("/espaces/").status_code == 200
    policy.version = 2
    policy.save_revision().publish()
    assert client.get("/espaces/")["Location"].startswith("/confidentialite/accepter/")


def test_outside_redirect_target_is_ignored(client, policy, member):
    client.force_login(member)
    response = client.post("/confidentialite/accepter/", {"accept": "on", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db(transaction=True)
def test_demo_seed_publishes_a_policy_the_demo_people_have_accepted():
    from django.core.management import call_command

    from tcri_site.privacy.models import PrivacyPolicyPage
    from tcri_site.privacy.services import current_policy

    call_command("seed_demo", scale=1, stdout=StringIO())
    policy = current_policy()
    assert isinstance(policy, PrivacyPolicyPage) and policy.officer_name and policy.body_en
    demo = PolicyAcceptance.objects.filter(version=policy.version, user__email="delegue@demo.tcri.example")
    assert demo.exists()
    call_command("seed_demo", scale=1, stdout=StringIO())  # idempotent
    assert PrivacyPolicyPage.objects.count() == 1


def test_a_stale_cached_version_sends_nobody_to_accept(client, member):
    from django.core.cache import cache

    cache.set("privacy:current-version", 7, 300)  # e.g. left by a flushed database
    client.force_login(member)
    try:
        assert client.get("/espaces/").status_code == 200
    finally:
        cache.delete("privacy:current-version")
