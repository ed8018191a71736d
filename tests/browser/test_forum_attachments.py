"""Attachments and follow buttons in real browsers: an image shows as a thumbnail made by the
server and loaded through the protected view, a PDF as a card with name, type and size, live
in another person's page; the same person's second tab sees a follow choice at once; the
thread at 375 px and 1280 px neither scrolls sideways nor breaks axe."""

import re
import time

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

A, B = "membre@demo.tcri.example", "delegue@demo.tcri.example"
HEAD = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PDF = HEAD + b"0" * (30 * 1024 - len(HEAD))  # 30 Ko


def png_file(path, size=(1400, 900)):
    image = Image.new("RGB", size, (11, 83, 148))
    for x in range(0, size[0], 7):
        for y in range(0, size[1], 7):
            image.putpixel((x, y), (x % 256, y % 256, 200))
    image.save(path, format="PNG")
    return path


def start_thread(session, title):
    session.goto("/espaces/espace/general/")
    session.page.get_by_label("Titre du fil").fill(title)
    session.page.get_by_label(re.compile("^Premier message")).fill("Les pièces du dossier suivent.")
    session.page.get_by_role("button", name="Publier le fil").click()
    expect(session.page.get_by_role("heading", level=1)).to_have_text(title)
    expect(session.page.locator("#forum-presence")).to_be_visible()  # subscribed
    return session.page.url


def open_url(session, url):
    session.page.goto(url)
    expect(session.page.locator("#forum-presence")).to_be_visible()
    session.page.evaluate("window.__sameDocument = true")


def post_with_file(session, text, path):
    page = session.page
    # The native input is hidden behind a label in the page's language.
    expect(page.locator("label.forum-file-button")).to_have_text("Choisir un fichier")
    page.locator("#forum-form input[type=file]").set_input_files(str(path))
    expect(page.locator(".forum-file-name")).to_have_text(path.name)
    page.get_by_label(re.compile("^Votre message")).fill(text)
    with page.expect_navigation():
        page.get_by_role("button", name="Publier", exact=True).click()


def no_sideways_scroll(page):
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_image_thumbnail_and_pdf_card_live_then_the_thread_at_two_widths(open_session, tmp_path):
    a, b = open_session(), open_session()
    a.login(A)
    b.login(B)
    url = start_thread(a, f"Dossier avec pièces {time.time():.0f}")
    open_url(b, url)

    post_with_file(a, "Voici l'affiche.", png_file(tmp_path / "affiche-atelier.png"))
    pdf = tmp_path / "compte-rendu.pdf"
    pdf.write_bytes(PDF)
    post_with_file(a, "Et le compte rendu.", pdf)

    for session in (b, a):  # b live (no reload), a after its form post
        page = session.page
        thumb = page.locator("#forum-messages .forum-attachment-image img")
        expect(thumb).to_have_count(1)
        expect(thumb).to_have_attribute("alt", "affiche-atelier.png")
        expect(thumb).to_have_attribute("src", re.compile(r"^/espaces/piece-jointe/\d+/apercu/$"))
        expect(thumb).to_have_attribute("width", "480")
        expect(thumb).to_have_attribute("height", "309")
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
        )
        natural = thumb.evaluate("img => [img.naturalWidth, img.naturalHeight, img.currentSrc]")
        assert 0 < natural[0] <= 480 and natural[1] == 309
        assert re.search(r"/espaces/piece-jointe/\d+/apercu/$", natural[2])
        card = page.locator("#forum-messages a.forum-attachment-card")
        expect(card).to_have_count(1)
        expect(card).to_contain_text("compte-rendu.pdf")
        expect(card.locator(".forum-attachment-meta")).to_have_text("PDF · 30 Ko")
    assert b.page.evaluate("window.__sameDocument") is True

    # The thumbnail is no public file: without a session it sends to the login page.
    src = b.page.locator(".forum-attachment-image img").get_attribute("src")
    stranger = open_session()
    response = stranger.goto(src)
    assert "/comptes/connexion/" in stranger.page.url and "image" not in response.headers.get("content-type", "")

    # A click opens the full image, through the same protected view.
    with b.page.expect_navigation():
        b.page.locator(".forum-attachment-image a").click()
    assert re.search(r"/espaces/piece-jointe/\d+/$", b.page.url)
    size = b.page.evaluate("() => { const i = document.querySelector('img'); return [i.naturalWidth, i.naturalHeight]; }")
    assert size == [1400, 900]
    b.page.go_back()

    for width in (1280, 375):
        a.page.set_viewport_size({"width": width, "height": 900})
        a.page.reload()
        thumb = a.page.locator(".forum-attachment-image img")
        a.page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
        assert thumb.bounding_box()["width"] <= min(480, width)
        shot = tmp_path / f"thread-attachments-{width}.png"
        a.page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
        assert no_sideways_scroll(a.page), f"the thread scrolls sideways at {width} px"
        assert a.axe_violations() == [], f"axe at {width} px"
    assert not [e for e in a.console_errors + b.console_errors if "forum" in e.lower()]


def test_the_same_persons_other_tab_sees_a_follow_choice_at_once(open_session):
    one, two = open_session(), open_session()
    one.login(A)
    two.login(A)
    url = start_thread(one, f"Fil à suivre {time.time():.0f}")
    open_url(one, url)
    open_url(two, url)
    follow_form = "form.forum-follow[data-follow-target=thread]"
    for session in (one, two):
        expect(session.page.locator(follow_form).get_by_role("button", name="Suivre ce fil")).to_be_visible()

    one.page.locator(follow_form).get_by_role("button", name="Suivre ce fil").click()
    for session in (two, one):
        form = session.page.locator(follow_form)
        expect(form.get_by_role("button", name="Ne plus suivre")).to_be_visible()
        expect(form.get_by_role("button", name="Suivre ce fil")).to_be_hidden()
        expect(form.locator(".forum-follow-state")).to_have_text("Suivi")

    two.page.locator(follow_form).get_by_role("button", name="Mettre en sourdine").click()
    form = one.page.locator(follow_form)
    expect(form.get_by_role("button", name="Réactiver les notifications")).to_be_visible()
    expect(form.get_by_role("button", name="Mettre en sourdine")).to_be_hidden()
    expect(form.get_by_role("button", name="Suivre ce fil")).to_be_visible()
    expect(form.locator(".forum-follow-state")).to_have_text("En sourdine")
    assert one.page.evaluate("window.__sameDocument") and two.page.evaluate("window.__sameDocument")

    # What the pages show is what was stored: a reload agrees, then undo for other tests.
    one.page.reload()
    expect(one.page.locator(follow_form).get_by_role("button", name="Réactiver les notifications")).to_be_visible()
    one.page.evaluate("window.__sameDocument = true")
    expect(one.page.locator("#forum-presence")).to_be_visible()
    one.page.locator(follow_form).get_by_role("button", name="Réactiver les notifications").click()
    expect(two.page.locator(follow_form).get_by_role("button", name="Suivre ce fil")).to_be_visible()
    expect(two.page.locator(follow_form).locator(".forum-follow-state")).to_have_text("")
    assert not [e for e in one.console_errors + two.console_errors if "forum" in e.lower()]
