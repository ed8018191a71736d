"""A person who has not accepted the current privacy policy meets it at sign-in, in the
language they read in: refusing to tick is explained and keeps them on the page, accepting
takes them where they were going, and the acceptance (version, time, language) is theirs to
read and download from « Mes données »."""

import json
import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NEW_PERSON = r"""
import json
from tcri_site.members.models import Membership, Organisation, Role, User
from tcri_site.privacy.models import PolicyAcceptance, PrivacyPolicyPage
email = "{email}"
org = Organisation.objects.filter(is_active=True).order_by("name").first()
user = User.objects.create_user(email=email, password="tcri-demo-2026", first_name="Noémie", last_name="Essai-Confidentialité")
Membership.objects.create(user=user, organisation=org, role=Role.MEMBRE)
print("JSON" + json.dumps({{"version": PrivacyPolicyPage.objects.live().order_by("-version").first().version,
                           "accepted": PolicyAcceptance.objects.filter(user=user).count()}}))
"""

ACCEPTANCES = r"""
import json
from tcri_site.privacy.models import PolicyAcceptance
print("JSON" + json.dumps([[a.version, a.language] for a in PolicyAcceptance.objects.filter(user__email="{email}")]))
"""


def _run(site, script: str, email: str):
    out = site.manage("shell", "-c", script.format(email=email))
    return json.loads(next(line for line in out.splitlines() if line.startswith("JSON"))[4:])


def _sign_in(session, email: str, path: str) -> None:
    session.goto(path)
    session.page.get_by_label(re.compile("Adresse courriel|Email address")).fill(email)
    session.page.get_by_label(re.compile("^(Mot de passe|Password)")).fill("tcri-demo-2026")
    with session.page.expect_navigation():
        session.page.get_by_role("button", name=re.compile("Se connecter|Log in")).click()


def test_first_sign_in_asks_for_the_policy_then_goes_on(open_session, live_site):
    email = f"nouvelle.{time.time_ns()}@demo.tcri.example"
    created = _run(live_site, NEW_PERSON, email)
    assert created["accepted"] == 0

    person = open_session()
    _sign_in(person, email, "/comptes/connexion/?next=/forum-pasi/")
    page = person.page
    expect(page).to_have_url(re.compile(r"/confidentialite/accepter/\?next=%2Fforum-pasi%2F"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Politique de confidentialité")
    expect(page.locator("main")).to_contain_text(f"version {created['version']}")
    expect(page.locator("main")).to_contain_text("Responsable de la protection des renseignements personnels")
    assert not person.axe_violations()
    person.screenshot("privacy-accept-fr")

    # Every other page sends back here until the policy is accepted, and remembers itself.
    person.goto("/formations/")
    expect(page).to_have_url(re.compile(r"/confidentialite/accepter/\?next=%2Fformations%2F"))

    # Submitting without ticking: a clear error, still on the page, nothing recorded.
    with page.expect_navigation():
        page.get_by_role("button", name="Accepter et continuer").click()
    expect(page.locator("main")).to_contain_text("Champ requis.")
    assert _run(live_site, ACCEPTANCES, email) == []

    page.get_by_label("J'ai lu la politique de confidentialité et je l'accepte.").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Accepter et continuer").click()
    expect(page).to_have_url(re.compile(r"/formations/$"))
    expect(page.locator(".messages")).to_contain_text("votre acceptation de la politique est enregistrée")
    assert _run(live_site, ACCEPTANCES, email) == [[created["version"], "fr"]]

    # Now the site is open, and « Mes données » lists the acceptance and exports it.
    person.goto("/forum-pasi/")
    expect(page).to_have_url(re.compile(r"/forum-pasi/$"))
    person.goto("/confidentialite/mes-donnees/")
    expect(page.locator("main")).to_contain_text(f"{created['version']}")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Télécharger le fichier JSON")).click()
    data = json.loads(open(download.value.path(), encoding="utf-8").read())
    assert email in json.dumps(data, ensure_ascii=False)
    assert any(row.get("version") == created["version"] for row in _find_list(data, "version"))


def test_english_reader_meets_the_policy_in_english(open_session, live_site):
    email = f"new.{time.time_ns()}@demo.tcri.example"
    created = _run(live_site, NEW_PERSON, email)
    person = open_session(locale="en-CA")
    _sign_in(person, email, "/en/comptes/connexion/?next=/en/formations/")
    page = person.page
    expect(page).to_have_url(re.compile(r"/en/confidentialite/accepter/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("In this workspace the TCRI collects")
    expect(main).not_to_contain_text("Avant de continuer")
    assert not person.axe_violations()
    page.get_by_label(re.compile("I have read the privacy policy", re.I)).check()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Accept and continue", re.I)).click()
    expect(page).to_have_url(re.compile(r"/en/formations/$"))
    assert _run(live_site, ACCEPTANCES, email) == [[created["version"], "en"]]
    person.screenshot("privacy-accepted-en")


def _find_list(data, key):
    """Every dict anywhere in ``data`` that has ``key``."""
    found = []
    if isinstance(data, dict):
        if key in data:
            found.append(data)
        for value in data.values():
            found.extend(_find_list(value, key))
    elif isinstance(data, list):
        for value in data:
            found.extend(_find_list(value, key))
    return found
