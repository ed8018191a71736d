"""A person of every demo role signs in and uses the home page in French and English."""

import pytest
from playwright.sync_api import expect

from tcri_site.home.management.commands.seed_demo import DEMO_PASSWORD

DEMO_ACCOUNTS = [
    "projet@demo.tcri.example",
    "admin@demo.tcri.example",
    "delegue@demo.tcri.example",
    "substitut@demo.tcri.example",
    "coordination@demo.tcri.example",
    "membre@demo.tcri.example",
]

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("email", DEMO_ACCOUNTS)
def test_every_demo_role_signs_in_and_sees_home_in_both_languages(open_session, email):
    session = open_session()
    session.login(email, DEMO_PASSWORD)
    page = session.page
    expect(page.get_by_role("link", name="Mon profil")).to_be_visible()
    session.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Espace TCRI-PASI"
    role = email.split("@")[0]
    session.screenshot(f"home-fr-{role}")

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert page.url.endswith("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "TCRI-PASI Workspace"
    expect(page.get_by_role("link", name="My profile")).to_be_visible()
    session.screenshot(f"home-en-{role}")
    assert session.console_errors == [], session.failed_responses


def test_staff_see_the_admin_link_members_do_not(open_session):
    lead = open_session()
    lead.login("projet@demo.tcri.example")
    expect(lead.page.get_by_role("link", name="Administration")).to_be_visible()
    member = open_session()
    member.login("membre@demo.tcri.example")
    expect(member.page.get_by_role("link", name="Mon profil")).to_be_visible()
    expect(member.page.get_by_role("link", name="Administration")).to_have_count(0)


def test_keyboard_only_skip_link_and_login(open_session):
    session = open_session()
    session.goto("/comptes/connexion/")
    page = session.page
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    page.get_by_label("Adresse courriel").focus()
    page.keyboard.type("membre@demo.tcri.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Mon profil")).to_be_visible()


def test_wrong_password_is_explained(open_session):
    session = open_session()
    session.login("membre@demo.tcri.example", "pas-le-bon")
    alert = session.page.get_by_role("alert")
    assert "Adresse courriel ou mot de passe incorrect" in alert.inner_text()


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path, signed_in", [("/", False), ("/comptes/connexion/", False), ("/comptes/profil/", True)])
def test_no_serious_accessibility_violation(open_session, prefix, path, signed_in):
    session = open_session()
    if signed_in:
        session.login("delegue@demo.tcri.example")
    session.goto(prefix + path)
    violations = session.axe_violations()
    summary = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert violations == [], summary
