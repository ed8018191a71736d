"""The search page and header suggestions in a real browser (Chromium) on the seeded demo site."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_header_suggestions_by_keyboard_and_search_page_accessibility(open_session):
    session = open_session()
    session.login("membre@demo.tcri.example")
    page = session.page
    box = page.get_by_role("combobox", name=re.compile("Rechercher dans l'espace"))
    box.click()
    box.press_sequentially("asil", delay=40)
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    box.press("ArrowDown")
    first = listbox.get_by_role("option").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"

    box.fill("demandeur d'asile")
    with page.expect_navigation():
        box.press("Enter")
    assert "/recherche/" in page.url
    heading = page.get_by_role("heading", level=2, name=re.compile("résultat"))
    assert heading.is_visible()
    assert page.locator(".search-hit mark").count() > 0
    # Facets are real checkboxes with labels, reachable by keyboard.
    page.get_by_role("checkbox", name=re.compile("Statuts migratoires")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Appliquer les filtres").click()
    assert "type=status" in page.url
    session.screenshot("search-results")
    assert session.axe_violations() == []
    assert session.console_errors == []


def test_search_page_in_english_for_anonymous_visitors(open_session):
    session = open_session("en-CA")
    session.goto("/en/recherche/?q=x")
    page = session.page
    assert page.get_by_text("Type at least two characters to search.").is_visible()
    session.goto("/en/recherche/?q=permis")
    assert page.get_by_role("heading", level=1, name="Search").is_visible()
    assert session.axe_violations() == []


def test_on_a_narrow_screen_a_link_jumps_over_the_filters(open_session):
    session = open_session()
    page = session.page
    session.goto("/recherche/?q=permis")
    skip = page.get_by_role("link", name=re.compile(r"^Voir les \d+ résultats$"))
    assert not skip.is_visible()  # side by side on a wide screen: nothing to jump over
    page.set_viewport_size({"width": 390, "height": 844})
    assert skip.is_visible()
    skip.click()
    assert page.url.endswith("#results-heading")
    expect(page.get_by_role("heading", level=2, name=re.compile("résultats"))).to_be_in_viewport()
    assert session.axe_violations() == []
