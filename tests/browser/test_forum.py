"""Two people in one thread, in real browsers: live delivery, and catch-up after a cut."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

THREAD_TITLE = "Bienvenue dans les espaces d'échange"


def open_thread(session):
    session.goto("/espaces/espace/general/")
    session.page.get_by_role("link", name=THREAD_TITLE).click()
    expect(session.page.get_by_role("heading", level=1)).to_have_text(THREAD_TITLE)
    # The socket is subscribed once presence arrives (it lists at least oneself).
    expect(session.page.locator("#forum-presence")).to_be_visible()
    session.page.evaluate("window.__sameDocument = true")


def moderation_menu(session):
    """The thread's moderation actions sit in a disclosure menu: open it (once)."""
    menu = session.page.locator("details.forum-mod-menu")
    if not menu.evaluate("d => d.open"):
        menu.locator("summary").click()


def post(session, text):
    session.page.get_by_label(re.compile("^Votre message")).fill(text)
    session.page.get_by_role("button", name="Publier", exact=True).click()


def test_a_posts_b_sees_it_live_and_catches_up_after_going_offline(open_session):
    a = open_session()
    b = open_session()
    a.login("membre@demo.tcri.example")
    b.login("delegue@demo.tcri.example")
    open_thread(a)
    open_thread(b)

    first = f"Message en direct {time.time():.0f}"
    post(a, first)
    expect(b.page.locator("#forum-messages")).to_contain_text(first)
    expect(a.page.locator("#forum-messages")).to_contain_text(first)
    assert b.page.evaluate("window.__sameDocument") is True  # no reload happened

    b.context.set_offline(True)
    expect(b.page.locator("#forum-status")).to_be_visible()
    missed = f"Pendant la coupure {time.time():.0f}"
    post(a, missed)
    expect(a.page.locator("#forum-messages")).to_contain_text(missed)
    b.page.wait_for_timeout(1000)
    expect(b.page.locator("#forum-messages")).not_to_contain_text(missed)

    b.context.set_offline(False)
    expect(b.page.locator("#forum-messages")).to_contain_text(missed, timeout=20_000)
    assert b.page.evaluate("window.__sameDocument") is True
    texts = b.page.locator("#forum-messages > li").all_inner_texts()
    assert sum(missed in t for t in texts) == 1  # once, in order after the first
    assert [i for i, t in enumerate(texts) if first in t][0] < [i for i, t in enumerate(texts) if missed in t][0]
    assert not [e for e in a.console_errors + b.console_errors if "forum" in e.lower()]


def test_draft_survives_a_refresh_and_page_is_accessible(open_session):
    a = open_session()
    a.login("membre@demo.tcri.example")
    open_thread(a)
    box = a.page.get_by_label(re.compile("^Votre message"))
    box.fill("Brouillon à ne pas perdre")
    a.page.reload()
    expect(a.page.get_by_label(re.compile("^Votre message"))).to_have_value("Brouillon à ne pas perdre")
    a.screenshot("forum-thread")
    assert a.axe_violations() == []


CLOSE_CODE_JS = """
(path) => new Promise((resolve) => {
  const ws = new WebSocket(location.origin.replace('http', 'ws') + path);
  const frames = [];
  ws.onmessage = (e) => frames.push(JSON.parse(e.data));
  ws.onclose = (e) => resolve({code: e.code, frames: frames});
})
"""


def test_browser_sees_the_close_codes(open_session):
    anonymous = open_session()
    anonymous.goto("/")
    result = anonymous.page.evaluate(CLOSE_CODE_JS, "/ws/forum/")
    assert result["code"] == 4401
    assert result["frames"][0]["payload"]["code"] == "not_authenticated"

    member = open_session()
    member.login("membre@demo.tcri.example")
    member.goto("/")
    result = member.page.evaluate(CLOSE_CODE_JS, "/ws/forum/?thread=99999999")
    assert result["code"] == 4404
    assert result["frames"][0]["payload"]["code"] == "unknown_thread"


def test_thread_flags_show_only_when_set_and_follow_moderation_live(open_session):
    title = "Calendrier des formations d'hiver"
    member = open_session()
    member.login("membre@demo.tcri.example")
    member.goto("/espaces/espace/general/")
    member.page.get_by_role("link", name=title).click()
    expect(member.page.locator("#forum-presence")).to_be_visible()
    locked = member.page.locator("[data-flag=locked]")
    # Neither pinned nor locked: the flags are in the page (for live updates) but not shown.
    expect(locked).to_be_hidden()
    expect(member.page.locator("[data-flag=pinned]")).to_be_hidden()

    moderator = open_session()
    moderator.login("coordination@demo.tcri.example")
    moderator.goto(member.page.url.replace(member.site.url, ""))
    box = member.page.get_by_label(re.compile("^Votre message"))
    box.fill("Brouillon en cours")
    moderation_menu(moderator)
    moderator.page.get_by_role("button", name="Verrouiller", exact=True).click()
    try:
        expect(moderator.page.locator("[data-flag=locked]")).to_be_visible()
        expect(locked).to_be_visible()  # live, without reloading
        # The member's composer gives way to a notice; the moderator may still write.
        expect(member.page.locator("#forum-locked")).to_have_text("Ce fil est verrouillé : on ne peut plus y répondre.")
        expect(box).to_be_hidden()
        expect(member.page.locator("#forum-messages [data-reply]").first).to_be_hidden()
        expect(moderator.page.get_by_label(re.compile("^Votre message"))).to_be_visible()
    finally:
        moderation_menu(moderator)
        moderator.page.get_by_role("button", name="Déverrouiller", exact=True).click()
    expect(locked).to_be_hidden()
    expect(box).to_be_visible()
    expect(box).to_have_value("Brouillon en cours")  # nothing typed was lost
    expect(member.page.locator("#forum-locked")).to_be_hidden()

    # A page rendered locked has no form to bring back: unlocking says to reload.
    moderation_menu(moderator)
    moderator.page.get_by_role("button", name="Verrouiller", exact=True).click()
    try:
        expect(moderator.page.locator("[data-flag=locked]")).to_be_visible()
        member.page.reload()
        expect(member.page.locator("#forum-presence")).to_be_visible()
        expect(member.page.locator("#forum-form")).to_have_count(0)
    finally:
        moderation_menu(moderator)
        moderator.page.get_by_role("button", name="Déverrouiller", exact=True).click()
    expect(member.page.locator("#forum-locked")).to_have_text("Ce fil a été déverrouillé : rechargez la page pour y répondre.")
    # Read now: the space's list shows no "0 non lus" badge for it.
    member.goto("/espaces/espace/general/")
    row = member.page.locator("li[data-thread]", has=member.page.get_by_role("link", name=title))
    expect(row.locator(".forum-unread")).to_be_hidden()
    # The moderator reaches the reports queue of their spaces from the thread, on the site.
    moderation_menu(moderator)
    moderator.page.get_by_role("link", name="Signalements à traiter").click()
    expect(moderator.page.get_by_role("heading", level=1)).to_have_text("Signalements")
    assert moderator.axe_violations() == []
