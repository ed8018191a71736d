"""In English from /en/: a person whose profile is French signs in and stays in English,
finds a training by text search, opens its material page, sees the seats and registers."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PERSON = "substitut@demo.tcri.example"  # profile language: French
TRAINING = "Accueillir les personnes demandeuses d'asile"
FRENCH_INTERFACE = ["Séances de formation", "Prochaines séances", "M'inscrire", "Se connecter", "Filtrer"]


def _interface_is_english(page):
    expect(page.locator("html")).to_have_attribute("lang", "en")
    chrome = page.locator("header, nav, main form, .session-item .status, footer").all_inner_texts()
    text = " ".join(chrome)
    assert not [s for s in FRENCH_INTERFACE if s in text], text


def test_from_en_sign_in_search_open_the_material_and_register(open_session):
    person = open_session(locale="en-CA")
    page = person.page
    person.goto("/en/comptes/connexion/")
    page.get_by_label("Email address").fill(PERSON)
    page.get_by_label(re.compile("^Password")).fill("tcri-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/en/" in page.url
    _interface_is_english(page)

    person.goto("/en/seances/")
    page.get_by_label("Search for a training").fill("demandeur d'asile")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/en/seances/\?q=demandeur"))
    expect(page.get_by_label("Search for a training")).to_have_value("demandeur d'asile")
    _interface_is_english(page)
    assert person.axe_violations() == []

    page.get_by_role("link", name=TRAINING).first.click()
    page.get_by_role("link", name=re.compile("^Read “")).click()
    expect(page).to_have_url(re.compile(r"/en/formations/accueillir-demandeuses-asile/"))
    expect(page.get_by_role("note")).to_contain_text("not yet available in English")
    first = page.locator(".session-item").first
    expect(first).to_contain_text(re.compile(r"\d+ seats? left|waiting list"))
    _interface_is_english(page)
    assert person.axe_violations() == []

    first.get_by_role("button", name=re.compile("^Register")).click()
    expect(page).to_have_url(re.compile(r"/en/formations/accueillir-demandeuses-asile/#seance-\d+"))
    expect(page.locator(".messages")).to_contain_text("registered")
    expect(page.locator(".session-item").first).to_contain_text("You are registered")
    _interface_is_english(page)
    assert person.axe_violations() == []
    person.screenshot("trainings-en-registered")
    assert person.console_errors == []
