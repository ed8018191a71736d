"""The unread badge changes live, without a reload, when another person mentions you in an
exchange space; the notification centre, the preferences page and the dashboard are usable
and pass axe."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MENTIONED = "membre@demo.tcri.example"  # forum handle: @membre
AUTHOR = "delegue@demo.tcri.example"

# Registered before any page script, so the first count pushed on connect is seen too.
LISTEN = "document.addEventListener('tcri:unread', e => (window.__unread = window.__unread || []).push(e.detail));"


def test_badge_changes_live_when_someone_mentions_you(open_session):
    reader = open_session()
    reader.context.add_init_script(LISTEN)
    reader.login(MENTIONED)
    reader.goto("/notifications/")
    page = reader.page
    badge = page.locator("[data-notification-badge]")
    # The socket is connected once the server has pushed the current count.
    page.wait_for_function("window.__unread && window.__unread.length > 0")
    before = int(badge.inner_text())
    assert before == page.evaluate("window.__unread[window.__unread.length - 1]")

    writer = open_session()
    writer.login(AUTHOR)
    writer.goto("/espaces/espace/general/")
    writer.page.locator("main a[href*='/espaces/fil/']").first.click()
    writer.page.get_by_label("Votre message").fill("Bonjour @membre, pouvez-vous relire la fiche ?")
    writer.page.get_by_role("button", name="Publier").click()

    # Same page, no reload: the number goes up by one.
    expect(badge).to_have_text(str(before + 1), timeout=15_000)
    assert page.url.endswith("/notifications/")
    reader.screenshot("notifications-badge-live")

    # The new mention is listed after a reload; opening "Non lues" shows it.
    page.get_by_role("link", name="Non lues", exact=True).click()
    mention = page.locator("li.unread", has_text="vous a mentionné")
    expect(mention.first).to_be_visible()
    assert reader.axe_violations() == []

    # Mark all read: the badge drops to 0 (pushed by the server too).
    page.get_by_role("button", name="Tout marquer comme lu").click()
    expect(badge).to_have_text("0")
    expect(page.get_by_text("Aucune notification non lue.")).to_be_visible()
    assert reader.console_errors == []


def test_preferences_page_by_keyboard(open_session):
    session = open_session()
    session.login(MENTIONED)
    session.goto("/comptes/profil/")
    session.page.get_by_role("link", name="Préférences de notification").click()
    page = session.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Préférences de notification")
    group = page.get_by_role("group", name=re.compile("Ouverture des votes"))
    group.get_by_label("Immédiatement par courriel").check()
    page.get_by_role("button", name="Enregistrer mes préférences").click()
    expect(page.locator(".messages")).to_contain_text("enregistrées")
    group = page.get_by_role("group", name=re.compile("Ouverture des votes"))
    expect(group.get_by_label("Immédiatement par courriel")).to_be_checked()
    assert session.axe_violations() == []
    session.screenshot("notifications-preferences")


def test_dashboard_for_the_project_lead(open_session):
    session = open_session()
    session.login("projet@demo.tcri.example")
    session.page.get_by_role("link", name="Tableau de bord").click()
    page = session.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord du projet PASI")
    expect(page.get_by_role("heading", name="Revendications par état")).to_be_visible()
    expect(page.locator("table[data-figure='seances-a-venir'] tbody tr").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Exporter en CSV.*Revendications par état")).click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"
    assert session.axe_violations() == []
    session.screenshot("dashboard")
