"""A member finds a training by migration status, registers, sees it in « Mes formations »
and cancels; the colleague waiting for the single seat is promoted and e-mailed."""

import email
import email.policy
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WORKSHOP = "Atelier pratique : demande d'asile et permis de travail"
MEMBER = "membre@demo.tcri.example"
COLLEAGUE = "coordination@demo.tcri.example"


def _subjects_to(site, address):
    subjects = []
    for raw in site.emails():
        for chunk in raw.split("-" * 79):
            if not chunk.strip():
                continue
            message = email.message_from_string(chunk.strip(), policy=email.policy.default)
            if address in str(message.get("To", "")):
                subjects.append(str(message.get("Subject", "")))
    return subjects


def test_register_cancel_and_promotion(open_session, live_site):
    member = open_session()
    member.login(MEMBER)
    member.goto("/seances/")
    page = member.page
    page.get_by_label("Statut migratoire", exact=True).select_option(label="Demandeur·euse d'asile")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"statut=demandeur-asile"))
    assert member.axe_violations() == []
    page.get_by_role("link", name=WORKSHOP).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WORKSHOP)
    session_url = page.url
    page.get_by_role("button", name="M'inscrire", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("inscrit·e")
    expect(page.get_by_text("https://visio.tcri.example/atelier-asile-permis").first).to_be_visible()

    page.get_by_role("link", name="Mes formations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes formations")
    expect(page.get_by_role("link", name=WORKSHOP)).to_be_visible()
    assert member.axe_violations() == []

    colleague = open_session()
    colleague.login(COLLEAGUE)
    colleague.page.goto(session_url)
    expect(colleague.page.get_by_text("La séance est complète.")).to_be_visible()
    colleague.page.get_by_role("button", name="M'inscrire sur la liste d'attente").click()
    expect(colleague.page.locator(".messages")).to_contain_text("position 1")

    page.get_by_role("button", name=re.compile("Annuler mon inscription : " + re.escape(WORKSHOP))).click()
    # Cancelling frees the seat: an accessible dialog says so first.
    dialog = page.get_by_role("dialog", name="Annuler l'inscription ?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Annuler l'inscription", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("L'inscription est annulée.")
    expect(page.get_by_role("link", name=WORKSHOP)).to_have_count(0)

    colleague.page.reload()
    expect(colleague.page.get_by_text("Vous êtes inscrit·e à cette séance.")).to_be_visible()
    colleague.goto("/seances/mes-formations/")
    expect(colleague.page.get_by_role("link", name=WORKSHOP)).to_be_visible()
    expect(colleague.page.get_by_text("Inscription confirmée").first).to_be_visible()
    colleague.screenshot("trainings-promoted")
    assert any("place s'est libérée" in s for s in _subjects_to(live_site, COLLEAGUE))
    assert member.console_errors == [] and colleague.console_errors == []
