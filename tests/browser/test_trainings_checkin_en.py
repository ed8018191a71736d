"""In English from /en/: a member signs in, registers to a session answering two of its
questions (a missing required answer is refused and what was typed stays), then checks in
with the code the project lead shows during another session. No French interface string,
axe clean on the new pages."""

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_trainings_en import FRENCH_INTERFACE, _interface_is_english

pytestmark = pytest.mark.browser

PERSON = "substitut@demo.tcri.example"  # profile language: French
LEAD = "projet@demo.tcri.example"
# Interface strings of the registration questions and the check-in, in French.
FRENCH_NEW = [
    "obligatoire", "Questions de l'inscription", "Répondez", "Noter ma présence", "Confirmer ma présence",
    "Code de la séance", "Votre présence", "Code de présence", "heure de Montréal", "Le formulaire contient",
]

SETUP = r"""
import json
from datetime import timedelta
from django.utils import timezone
from tcri_site.members.models import User
from trainings.models import QuestionKind, Registration, RegistrationQuestion, TrainingPage, TrainingSession

person = User.objects.get(email="substitut@demo.tcri.example")
# A training the other browser tests do not book (the running session is listed first on its page).
training = TrainingPage.objects.live().get(slug="refugies-pris-en-charge-parraines", locale__language_code="fr")
start = timezone.now() + timedelta(days=40)
future = TrainingSession.objects.create(
    training=training, starts_at=start, ends_at=start + timedelta(hours=2),
    registration_deadline=start - timedelta(days=1), capacity=30, format="online",
    online_link="https://visio.tcri.example/essai-questions", trainer="Inès Forgeron",
)
RegistrationQuestion.objects.create(
    session=future, sort_order=0, kind=QuestionKind.ACCESSIBILITY, required=True,
    label_fr="Avez-vous des besoins d'accessibilité ?", label_en="Do you have accessibility needs?",
)
RegistrationQuestion.objects.create(
    session=future, sort_order=1, kind=QuestionKind.SINGLE, required=True,
    label_fr="Comment suivrez-vous la séance ?", label_en="How will you follow the session?",
    choices_fr="Seul·e\nEn équipe", choices_en="Alone\nAs a team",
)
begun = timezone.now() - timedelta(minutes=5)
running = TrainingSession.objects.create(
    training=training, starts_at=begun, ends_at=begun + timedelta(hours=2),
    registration_deadline=begun - timedelta(days=1), capacity=30, format="online",
    online_link="https://visio.tcri.example/essai-presence", trainer="Inès Forgeron",
)
Registration.objects.create(session=running, user=person, organisation=person.organisation)
print("JSON" + json.dumps({"future": future.pk, "running": running.pk}))
"""


def _setup(site) -> dict:
    out = site.manage("shell", "-c", SETUP)
    return json.loads(next(line for line in out.splitlines() if line.startswith("JSON"))[4:])


def _english(page):
    _interface_is_english(page)
    text = " ".join(page.locator("header, nav, main form, .messages, .form-errors, main h1, footer").all_inner_texts())
    assert not [s for s in FRENCH_INTERFACE + FRENCH_NEW if s in text], text


def _log_in_from_en(person, email):
    page = person.page
    person.goto("/en/comptes/connexion/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label(re.compile("^Password")).fill("tcri-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/en/" in page.url


def test_from_en_register_with_answers_then_check_in_with_the_code(open_session, live_site):
    data = _setup(live_site)
    person = open_session(locale="en-CA")
    page = person.page
    _log_in_from_en(person, PERSON)

    person.goto(f"/en/seances/{data['future']}/")
    _english(page)
    assert person.axe_violations() == []
    page.get_by_label("Alone").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".form-errors")).to_contain_text("Do you have accessibility needs?")
    expect(page.locator(".form-errors")).to_contain_text("This question is required.")
    expect(page.get_by_label("Alone")).to_be_checked()  # what was chosen stays
    _english(page)
    assert person.axe_violations() == []

    page.get_by_label(re.compile("^Do you have accessibility needs")).fill("Live captions, please")
    with page.expect_navigation():
        page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("registered")
    expect(page.locator("section[aria-labelledby=inscription]")).to_contain_text("You are registered")
    _english(page)

    lead = open_session(locale="en-CA")
    _log_in_from_en(lead, LEAD)
    lead.goto(f"/en/seances/{data['running']}/code-de-presence/")
    expect(lead.page.locator(".checkin-qr svg")).to_be_visible()
    code = lead.page.locator(".checkin-code [aria-hidden=true]").inner_text().strip()
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{6}", code), code
    _english(lead.page)
    assert lead.axe_violations() == []

    person.goto("/en/seances/presence/")
    _english(page)
    assert person.axe_violations() == []
    page.get_by_label("Session code").fill(code.lower())
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm my presence").click()
    expect(page).to_have_url(re.compile(rf"/en/seances/{data['running']}/$"))
    expect(page.locator(".messages")).to_contain_text("Your presence is recorded")
    expect(page.locator("section[aria-labelledby=inscription]")).to_contain_text("Your presence is recorded (at")
    _english(page)
    assert person.axe_violations() == []
    person.screenshot("trainings-en-checked-in")
    # The refused answers came back as 400 (the project's status for a form to correct): the
    # browser logs that one response, and nothing else went wrong.
    assert person.failed_responses == [f"400 {live_site.url}/en/seances/{data['future']}/inscription/"]
    assert [e for e in person.console_errors if "status of 400" not in e] == []
    assert lead.console_errors == []
