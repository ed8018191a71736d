"""In a real browser: a message that looks like it holds a client identifier is held back
with a warning and posted only on confirmation; the file button speaks French."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_forum import open_thread, post

pytestmark = pytest.mark.browser


def test_identifier_warning_then_confirmation_over_the_socket(open_session):
    member = open_session()
    member.login("membre@demo.tcri.example")
    open_thread(member)
    text = f"Dossier {time.time():.0f} : NAS 130 692 544"
    post(member, text)
    warning = member.page.locator(".forum-confirm")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("numéro d'assurance sociale")
    expect(warning).to_contain_text("••••••544")
    expect(member.page.get_by_label(re.compile("^Votre message"))).to_have_value(text)  # kept
    member.page.wait_for_timeout(500)
    expect(member.page.locator("#forum-messages")).not_to_contain_text(text)

    warning.get_by_role("button", name="Publier quand même").click()
    expect(member.page.locator("#forum-messages")).to_contain_text(text)
    expect(warning).to_have_count(0)
    assert member.page.evaluate("window.__sameDocument") is True


def test_file_input_is_labelled_in_the_page_language(open_session):
    member = open_session()
    member.login("membre@demo.tcri.example")
    open_thread(member)
    expect(member.page.locator(".forum-file-button")).to_have_text("Choisir un fichier")
    expect(member.page.locator(".forum-file-name")).to_have_text("Aucun fichier choisi")
    member.page.locator("input[type=file]").set_input_files(
        files=[{"name": "compte-rendu.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}]
    )
    expect(member.page.locator(".forum-file-name")).to_have_text("compte-rendu.pdf")
    assert not member.axe_violations()
