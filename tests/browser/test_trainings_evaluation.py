"""An attendee fills the evaluation of a session they came to, from « Mes formations »;
the project lead then sees the results with their chart in the reports; axe is clean."""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEMBER = "membre@demo.tcri.example"
LEAD = "projet@demo.tcri.example"
COMMENT = "Les tableaux <b>des volets</b> étaient très clairs."

# The demo member attended the first past session of the first training (trainings/seed.py).
# Two colleagues answer first, so the member's answer is the third and the results show.
SETUP = r"""
import json
from tcri_site.members.models import Membership, User
from trainings import services
from trainings.models import EvaluationInvitation, EvaluationQuestion, EvaluationKind, Registration, RegistrationStatus

member = User.objects.get(email="membre@demo.tcri.example")
registration = Registration.objects.filter(user=member, attended=True).select_related("session__training").order_by("-session__ends_at").first()
session = registration.session
questions = list(EvaluationQuestion.objects.for_training(session.training_id))
answered = EvaluationInvitation.objects.filter(registration__session=session, answered=True).count()
others = Membership.objects.filter(is_active=True, user__email__regex=r"^p\d+\.org\d+@").exclude(
    user__training_registrations__session=session).select_related("user")[: max(0, 2 - answered)]
for membership in others:
    Registration.objects.create(session=session, user=membership.user, organisation_id=membership.organisation_id,
                                status=RegistrationStatus.CONFIRMED, attended=True)
    answers = {q.pk: 4 if q.kind == EvaluationKind.RATING else True for q in questions if q.kind != EvaluationKind.TEXT}
    services.do_submit_evaluation(actor=membership.user, session=session, answers=answers)
print("JSON" + json.dumps({"session": session.pk, "training": session.training_id, "title": session.training.title,
                           "before": EvaluationInvitation.objects.filter(registration__session=session, answered=True).count()}))
"""


def _setup(site) -> dict:
    out = site.manage("shell", "-c", SETUP)
    return json.loads(next(line for line in out.splitlines() if line.startswith("JSON"))[4:])


def test_attendee_evaluates_and_the_lead_sees_the_chart(open_session, live_site):
    data = _setup(live_site)
    member = open_session()
    member.login(MEMBER)
    member.goto("/seances/mes-formations/")
    page = member.page
    page.get_by_role("link", name=f"Donner mon avis : {data['title']}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Évaluation : {data['title']}")
    assert member.axe_violations() == []

    # Sent without the required rating: the error says so, the comment typed stays.
    page.get_by_label("Qu'est-ce qui vous a été le plus utile ?").fill(COMMENT)
    page.get_by_role("button", name="Envoyer mon évaluation").click()
    expect(page.locator("#form-errors")).to_contain_text("Choisissez une note de 1 à 5.")
    expect(page.get_by_label("Qu'est-ce qui vous a été le plus utile ?")).to_have_value(COMMENT)
    assert member.axe_violations() == []
    member.screenshot("trainings-evaluation-form")

    page.get_by_role("group", name=re.compile("^Dans l'ensemble")).get_by_label("5", exact=True).check()
    page.get_by_role("group", name=re.compile("^Le contenu répond")).get_by_label("4", exact=True).check()
    page.get_by_role("group", name=re.compile("^Recommanderiez-vous")).get_by_label("Oui", exact=True).check()
    page.get_by_role("button", name="Envoyer mon évaluation").click()
    expect(page.locator(".messages")).to_contain_text("Votre évaluation est enregistrée")
    expect(page.get_by_text("Envoyée, merci")).to_be_visible()

    # Coming back to the form: refused in words, nothing to send twice.
    member.goto(f"/seances/{data['session']}/evaluation/")
    expect(page.get_by_text("Vous avez déjà envoyé votre évaluation de cette séance.")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer mon évaluation")).to_have_count(0)

    lead = open_session()
    lead.login(LEAD)
    lead.goto("/seances/rapports/")
    lead.page.get_by_role("link", name="Résultats des évaluations, par formation et par séance").click()
    expect(lead.page.get_by_role("heading", level=1)).to_have_text("Évaluations des formations")
    assert lead.axe_violations() == []
    lead.page.get_by_role("link", name=data["title"], exact=True).click()
    session_link = lead.page.get_by_role("link", name=re.compile("^Voir les résultats"))
    expect(session_link.first).to_be_visible()
    lead.goto(f"/seances/rapports/evaluations/seance/{data['session']}/")
    lead_page = lead.page
    expect(lead_page.get_by_text(f"{data['before'] + 1} réponses.")).to_be_visible()
    chart = lead_page.get_by_role("figure").filter(has_text=re.compile("Moyenne .* sur 5"))
    expect(chart.first).to_be_visible()
    assert lead_page.locator(".evaluation-chart .bar-average").count() >= 2  # one per rating question
    # The data table beside the chart counts the member's 5 on the first question.
    table = lead_page.get_by_role("table", name=re.compile("^Réponses à « Dans l'ensemble"))
    expect(table.get_by_role("row", name=re.compile("^Note 5"))).not_to_contain_text(re.compile(r"\b0\b"))
    # The comment is shown as typed, as text (the tags escaped, not rendered).
    expect(lead_page.locator(".evaluation-texts li", has_text="étaient très clairs")).to_have_text(COMMENT)
    assert lead_page.locator(".evaluation-texts b").count() == 0
    assert lead.axe_violations() == []
    lead.screenshot("trainings-evaluation-report")
    # The one failed response is the form sent without its rating (400, as every form here).
    assert [r.split()[0] for r in member.failed_responses] == ["400"]
    assert [e for e in member.console_errors if "status of 400" not in e] == [] and lead.console_errors == []
