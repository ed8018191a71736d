"""Decisions beyond the sitting, in a browser: an election from the call to the result
(confirmed steps, a final ballot), and the cahier's ranking chart; axe on each page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ELECTION = "Représentation à la table de concertation avec le MIFI"


def _chair_step(chair, button):
    chair.page.get_by_role("button", name=button).click()
    expect(chair.page.get_by_role("heading", level=1)).to_contain_text("Confirmer")
    chair.page.get_by_role("button", name="Oui, continuer").click()


def test_an_election_from_candidacies_to_result_and_the_cahier_chart(open_session):
    delegate = open_session()
    delegate.login("delegue@demo.tcri.example")
    delegate.goto("/forum-pasi/elections/")
    delegate.page.get_by_role("link", name=ELECTION).click()
    url = delegate.page.url
    delegate.page.get_by_label(re.compile("^Présentation")).fill("Je connais bien les enjeux de l'accueil en région.")
    delegate.page.get_by_role("button", name="Déposer la candidature").click()
    expect(delegate.page.get_by_text("Votre candidature est déposée.")).to_be_visible()
    assert delegate.axe_violations() == []

    chair = open_session()
    chair.login("projet@demo.tcri.example")
    chair.page.goto(url)
    _chair_step(chair, "Clore les candidatures et ouvrir le vote")
    expect(chair.page.locator(".status").first).to_have_text("Vote en cours")

    delegate.page.goto(url)
    expect(delegate.page.get_by_text("Un bulletin déposé ne peut plus être modifié.")).to_be_visible()
    choices = delegate.page.get_by_role("checkbox")
    assert choices.count() == 3
    choices.nth(0).check()
    choices.nth(2).check()
    delegate.page.get_by_role("button", name="Déposer le bulletin (définitif)").click()
    expect(delegate.page.get_by_text("Votre organisme a voté.")).to_be_visible()
    assert delegate.page.get_by_role("button", name="Déposer le bulletin (définitif)").count() == 0
    delegate.screenshot("election-voted")

    chair.page.goto(url)
    _chair_step(chair, "Fermer le vote et compter")
    result = chair.page.get_by_role("table")
    expect(result).to_contain_text("Élu·e")
    expect(chair.page.get_by_text("1 bulletin compté.")).to_be_visible()
    chair.screenshot("election-result")
    assert chair.axe_violations() == []

    delegate.goto("/forum-pasi/cahier/")
    chart = delegate.page.get_by_role("figure")
    expect(chart).to_contain_text("Priorités du cahier 2026-2027")
    assert chart.locator("li").count() == 3
    delegate.screenshot("cahier-priorities")
    assert delegate.axe_violations() == []
