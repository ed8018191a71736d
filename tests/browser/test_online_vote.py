"""An online vote between sittings in a browser: the chair puts a motion to an online vote
with the form (closing date in Montréal time), a délégué·e sees it under "À voter" with its
count in the navigation, votes, and the count drops; axe on each page."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

TITLE = "Appui à la campagne régionale (vote en ligne d'essai)"
DELEGATE = "p1.org9@demo.tcri.example"


def _badge(session) -> int:
    return int(session.page.locator('[data-nav-count="votes_awaiting"]').inner_text())


def _put_to_online_vote(open_session, title: str, kind: str | None = None):
    chair = open_session()
    chair.login("projet@demo.tcri.example")
    chair.goto("/forum-pasi/votes/en-ligne/nouveau/")
    closes = (timezone.now() + timedelta(days=3)).astimezone(ZoneInfo("America/Montreal")).replace(hour=13, minute=30)
    chair.page.get_by_label(re.compile("^Intitulé")).fill(title)
    if kind:
        chair.page.get_by_label(re.compile("^Type de vote")).select_option(label=kind)
    chair.page.get_by_label(re.compile("^Texte soumis au vote")).fill("Que le forum appuie la campagne régionale.")
    chair.page.get_by_label(re.compile("^Clôture")).fill(closes.strftime("%Y-%m-%dT%H:%M"))
    assert chair.axe_violations() == []
    with chair.page.expect_navigation():
        chair.page.get_by_role("button", name="Mettre au vote en ligne").click()
    expect(chair.page.locator("#online-schedule")).to_contain_text("13 h 30")
    expect(chair.page.get_by_text("Le vote en ligne est ouvert jusqu'au")).to_be_visible()
    return chair


def test_a_delegate_votes_online_and_the_count_drops(open_session):
    _put_to_online_vote(open_session, TITLE)
    delegate = open_session()
    delegate.login(DELEGATE)
    delegate.goto("/forum-pasi/")
    before = _badge(delegate)
    assert before >= 1
    delegate.page.get_by_role("link", name=re.compile("^À voter")).first.click()
    expect(delegate.page.get_by_role("heading", level=1)).to_have_text("À voter")
    expect(delegate.page.locator(".votes-awaiting li")).to_have_count(before)
    assert delegate.axe_violations() == []
    delegate.page.get_by_role("link", name=TITLE).click()
    expect(delegate.page.locator("#online-schedule")).to_contain_text("clôture")
    delegate.page.get_by_label("Pour", exact=True).check()
    with delegate.page.expect_navigation():
        delegate.page.get_by_role("button", name="Voter", exact=True).click()
    expect(delegate.page.locator("#own-ballot")).to_contain_text("Pour")
    assert _badge(delegate) == before - 1
    assert delegate.axe_violations() == []
    delegate.goto("/forum-pasi/a-voter/")
    expect(delegate.page.get_by_role("link", name=TITLE)).to_have_count(0)
    delegate.screenshot("online-vote-to-vote")
    assert delegate.console_errors == []


def test_a_secret_online_ballot_is_final_and_says_so_before(open_session):
    title = "Choix du thème de la journée régionale (vote secret en ligne)"
    _put_to_online_vote(open_session, title, kind="Vote secret")
    delegate = open_session()
    delegate.login("p1.org8@demo.tcri.example")
    delegate.goto("/forum-pasi/a-voter/")
    delegate.page.get_by_role("link", name=title).click()
    main = delegate.page.locator("main")
    expect(main).to_contain_text("une fois déposé, votre bulletin ne peut plus être changé")
    delegate.page.get_by_label("Contre", exact=True).check()
    with delegate.page.expect_navigation():
        delegate.page.get_by_role("button", name="Voter", exact=True).click()
    own = delegate.page.locator("#own-ballot")
    expect(own).to_contain_text("Bulletin secret déposé")
    expect(own).to_contain_text("ne peut plus être changé")
    expect(own).not_to_contain_text("Contre")  # the choice is kept nowhere with the organisation
    expect(delegate.page.get_by_role("button", name="Voter", exact=True)).to_have_count(0)
    expect(delegate.page.get_by_label("Pour", exact=True)).to_have_count(0)
    assert delegate.axe_violations() == []
    delegate.goto("/forum-pasi/a-voter/")
    expect(delegate.page.get_by_role("link", name=title)).to_have_count(0)
    assert delegate.console_errors == []
