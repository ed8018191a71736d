"""Comfort of the exchange spaces in real browsers: mention autocomplete by keyboard, a
reaction seen live in another context, a followed space's new thread notifies; the thread
page at 375 px and 1280 px, axe clean."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

THREAD_TITLE = "Bienvenue dans les espaces d'échange"
A, B = "membre@demo.tcri.example", "delegue@demo.tcri.example"


def open_thread(session):
    session.goto("/espaces/espace/general/")
    session.page.get_by_role("link", name=THREAD_TITLE).click()
    expect(session.page.get_by_role("heading", level=1)).to_have_text(THREAD_TITLE)
    expect(session.page.locator("#forum-presence")).to_be_visible()  # subscribed


def test_mention_by_keyboard_and_a_reaction_seen_live(open_session):
    a, b = open_session(), open_session()
    a.login(A)
    b.login(B)
    open_thread(a)
    open_thread(b)

    box = a.page.get_by_label(re.compile("^Votre message"))
    box.focus()
    box.press_sequentially("Bonjour @del")
    listbox = a.page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    option = listbox.get_by_role("option", name=re.compile("@delegue"))
    expect(option).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    # Arrow keys move the active option (aria-activedescendant); Enter inserts it.
    count = listbox.get_by_role("option").count()
    for _ in range(count):
        if option.get_attribute("aria-selected") == "true":
            break
        box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    assert box.get_attribute("aria-activedescendant") == option.get_attribute("id")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value(re.compile(r"^Bonjour @delegue "))
    # Escape closes the list and keeps the text as typed.
    box.press_sequentially("et @mem")
    expect(listbox).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    text = f"{box.input_value()} {time.time():.0f}"
    box.fill(text)
    a.page.get_by_role("button", name="Publier", exact=True).click()

    last_b = b.page.locator("#forum-messages > li").last
    expect(last_b).to_contain_text("Bonjour")
    expect(last_b.locator(".mention-me")).to_have_text(re.compile("@delegue"))  # B's own name

    # B reacts with the keyboard; A sees the count live, without reloading.
    message_id = last_b.get_attribute("data-id")
    picker = last_b.locator("details.forum-react-picker summary")
    picker.focus()
    picker.press("Enter")
    thumbs = last_b.get_by_role("button", name="D'accord")
    thumbs.focus()
    thumbs.press("Enter")
    seen = a.page.locator(f"#m{message_id} .forum-reaction[data-reaction=thumbs_up]")
    expect(seen.locator(".forum-reaction-count")).to_have_text("1")
    expect(seen).to_have_attribute("aria-pressed", "false")
    expect(seen).to_have_attribute("title", re.compile(r"\w"))  # who reacted
    mine = b.page.locator(f"#m{message_id} .forum-reaction[data-reaction=thumbs_up]")
    expect(mine).to_have_attribute("aria-pressed", "true")

    b.screenshot("comfort-thread-1280")
    assert b.axe_violations() == []
    b.page.set_viewport_size({"width": 375, "height": 800})
    b.page.reload()
    expect(b.page.locator(f"#m{message_id} .forum-reaction-count")).to_have_text("1")
    width = b.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the thread scrolls sideways at 375 px ({width} px)"
    # The site menu folds behind a disclosure; the keyboard opens it.
    toggle = b.page.locator("summary.nav-toggle")
    expect(toggle).to_be_visible()
    expect(b.page.get_by_role("link", name="Formations", exact=True)).to_be_hidden()
    b.screenshot("comfort-thread-375")
    assert b.axe_violations() == []
    small = b.page.evaluate(
        """() => [...document.querySelectorAll('main button, main summary, main [role=option], header summary')]
            .filter((el) => el.offsetParent !== null)
            .map((el) => [el.textContent.trim().slice(0, 30), el.getBoundingClientRect()])
            .filter(([, r]) => r.width < 24 || r.height < 24).map(([t]) => t)"""
    )
    assert small == [], f"touch targets under 24 x 24 px: {small}"
    toggle.focus()
    toggle.press("Enter")
    expect(b.page.get_by_role("link", name="Formations", exact=True)).to_be_visible()
    b.screenshot("comfort-menu-375")
    box_b = b.page.get_by_label(re.compile("^Votre message"))
    box_b.fill("Écrit depuis un téléphone")
    assert box_b.bounding_box()["width"] <= 375
    # Undo, for the other tests sharing the demo data.
    mine = b.page.locator(f"#m{message_id} .forum-reaction[data-reaction=thumbs_up]")
    mine.click()
    expect(a.page.locator(f"#m{message_id} .forum-reaction[data-reaction=thumbs_up]")).to_have_count(0)
    assert not [e for e in a.console_errors + b.console_errors if "forum" in e.lower()]


def test_a_followed_space_tells_of_a_new_thread(open_session):
    a, b = open_session(), open_session()
    a.login(A)
    b.login(B)
    a.goto("/espaces/espace/general/")
    a.page.get_by_role("button", name="Suivre cet espace").click()
    expect(a.page.get_by_role("button", name="Ne plus suivre")).to_be_visible()

    title = f"Nouveau fil suivi {time.time():.0f}"
    b.goto("/espaces/espace/general/")
    b.page.get_by_label("Titre du fil").fill(title)
    b.page.get_by_label(re.compile("^Premier message")).fill("Qui a des nouvelles du MIFI ?")
    b.page.get_by_role("button", name="Publier le fil").click()
    expect(b.page.get_by_role("heading", level=1)).to_have_text(title)

    a.goto("/notifications/")
    expect(a.page.locator("main button.link-button", has_text=re.compile(f"Nouveau fil dans .*{title}")).first).to_be_visible()
    a.goto("/espaces/espace/general/")
    a.page.get_by_role("button", name="Ne plus suivre").click()
    expect(a.page.get_by_role("button", name="Suivre cet espace")).to_be_visible()
