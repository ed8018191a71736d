"""A délégué·e votes; the projector, open in another browser, updates without reload; the
chair closes the vote; the published minutes show the result."""

import re

from playwright.sync_api import expect

MOTION = re.compile("Proposition : Hébergement temporaire")


def _open_vote(session):
    session.goto("/forum-pasi/")
    session.page.get_by_role("link", name=MOTION).first.click()
    session.page.wait_for_load_state()
    return session.page.url


def test_vote_live_projector_close_and_minutes(open_session):
    chair = open_session()
    chair.login("projet@demo.tcri.example")
    vote_url = _open_vote(chair)
    assert "/forum-pasi/votes/" in vote_url

    projector = open_session()
    projector.login("projet@demo.tcri.example")
    projector.page.goto(vote_url + "projection/")
    expect(projector.page.locator("[data-connection]")).to_have_text(re.compile("En direct"))
    pour = projector.page.locator('[data-count="for"]')
    before = int(pour.inner_text())

    delegate = open_session()
    delegate.login("delegue@demo.tcri.example")
    delegate.page.goto(vote_url)
    delegate.page.get_by_label("Pour", exact=True).check()
    delegate.page.get_by_role("button", name="Voter").click()
    expect(delegate.page.locator("#own-ballot")).to_contain_text("Pour")
    assert delegate.axe_violations() == []

    # The projector changes without any reload.
    expect(pour).to_have_text(str(before + 1))
    voted = projector.page.locator('[data-field="voted"]')
    assert int(voted.inner_text()) >= 1

    chair.page.goto(vote_url)
    chair.page.get_by_role("button", name="Fermer le vote").click()
    # Closing is irreversible: the dialog says what will happen, then the chair confirms.
    dialog = chair.page.get_by_role("dialog", name="Fermer le vote ?")
    expect(dialog).to_be_visible()
    with chair.page.expect_navigation():
        dialog.get_by_role("button", name="Fermer le vote").click()
    result = projector.page.locator('[data-field="result_label"]')
    expect(result).to_be_visible()
    result_text = result.inner_text().strip()
    assert result_text in ("Adoptée", "Rejetée", "Rejetée faute de quorum")
    projector.screenshot("advocacy-projector-closed")

    # Minutes: drafted from the session, published by the lead, showing the result.
    chair.page.get_by_role("link", name=re.compile("Séance d'hiver")).first.click()
    chair.page.get_by_role("link", name="Rédiger le procès-verbal").click()
    expect(chair.page.get_by_label("Texte du procès-verbal")).to_contain_text("Hébergement temporaire")
    chair.page.get_by_role("button", name="Enregistrer et publier").click()
    publish = chair.page.get_by_role("dialog", name="Publier le procès-verbal ?")
    expect(publish).to_contain_text("ne pourra plus jamais être modifié")
    with chair.page.expect_navigation():
        publish.get_by_role("button", name="Enregistrer et publier").click()
    row = chair.page.get_by_role("row", name=MOTION)
    expect(row).to_contain_text(result_text)
    chair.screenshot("advocacy-minutes")
    assert chair.console_errors == [] and projector.console_errors == [] and delegate.console_errors == []


def test_forum_pages_are_accessible(open_session):
    delegate = open_session()
    delegate.login("delegue@demo.tcri.example")
    for path in ("/forum-pasi/", "/forum-pasi/cahier/", "/forum-pasi/revendications/", "/forum-pasi/suivi/"):
        delegate.goto(path)
        assert delegate.axe_violations() == [], path
    delegate.goto("/forum-pasi/revendications/?state=consultation")
    delegate.page.get_by_role("link", name="Financement pluriannuel des organismes PASI").click()
    assert delegate.axe_violations() == [], "demand detail"
    expect(delegate.page.locator(".diff ins").first).to_be_visible()
    delegate.page.get_by_role("link", name="Proposer un amendement").click()
    delegate.page.get_by_role("button", name="Proposer l'amendement").click()
    # The form says what is wrong, in words, and keeps the text.
    expect(delegate.page.locator(".form-errors")).to_contain_text("Raison de l'amendement")
    assert delegate.axe_violations() == [], "amendment form with errors"
    # The invalid form is answered with 400 on purpose; Chromium logs that status, nothing else.
    assert [e for e in delegate.console_errors if "400 (Bad Request)" not in e] == []


def test_session_page_shows_the_quorum_live(open_session):
    watcher = open_session()
    watcher.login("membre@demo.tcri.example")
    watcher.goto("/forum-pasi/seances/")
    watcher.page.get_by_role("link", name=re.compile("Séance d'hiver")).first.click()
    watcher.page.wait_for_load_state()
    session_url = watcher.page.url
    line = watcher.page.locator('[data-field="quorum_line"]')
    before = int(re.match(r"\d+", line.inner_text()).group(0))

    chair = open_session()
    chair.login("projet@demo.tcri.example")
    chair.page.goto(session_url)
    # The chair's roll call (advocacy/_sitting.html): tick an absent organisation, mark it.
    first_absent = chair.page.locator("tr[data-org]").filter(has=chair.page.locator('[data-status]:text-is("Absent")')).first
    absent = chair.page.locator(f'tr[data-org="{first_absent.get_attribute("data-org")}"]')
    absent.get_by_role("checkbox").check()
    chair.page.get_by_role("button", name="Marquer présents sur place").click()
    expect(absent.locator("[data-status]")).to_have_text("Sur place")

    # The member's page follows the roll call without a reload, in the grammatical number
    # the page itself uses (singular for exactly 1).
    now = before + 1
    words = "organisme présent" if now == 1 else "organismes présents"
    expect(line).to_have_text(re.compile(rf"^{now} {words} sur \d+"))
    assert watcher.console_errors == [] and chair.console_errors == []
    assert watcher.axe_violations() == []
