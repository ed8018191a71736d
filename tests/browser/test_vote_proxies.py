"""A procuration holder votes twice, once for each organisation; the chair enters a paper
ballot; closing asks for confirmation in a dialog that Escape dismisses and Tab stays in."""

import json
import re

from playwright.sync_api import expect

SETUP = r"""
import json
from datetime import timedelta
from django.utils import timezone
from advocacy import services
from advocacy.models import BallotKind, ForumSession, Motion
from tcri_site.members.models import Membership, Role, User

lead = User.objects.get(email="projet@demo.tcri.example")
# A month ahead, so the seeded winter sitting stays the forum's upcoming one for other tests.
start = timezone.now() + timedelta(days=30)
session = ForumSession.objects.create(title="Séance d'essai des procurations", starts_at=start, ends_at=start + timedelta(hours=2), chair=lead)
delegates = list(
    Membership.objects.filter(role=Role.DELEGUE, is_active=True, organisation__is_active=True, organisation__pasi_participant=True,
                              user__email__startswith="p1.")
    .select_related("user", "organisation").order_by("organisation__name")[:3]
)
holder, giver, paper = delegates
procuration = services.do_request_procuration(actor=User.objects.get(pk=giver.user_id), session=session, holder=holder.user)
services.do_confirm_procuration(actor=lead, procuration=procuration)
motion = Motion.objects.create(session=session, title="Motion d'essai des procurations", text="Que le forum essaie les procurations.",
                               ballot_kind=BallotKind.ROLL_CALL)
services.do_open_motion(actor=lead, motion=motion)
print("JSON" + json.dumps({"motion": motion.pk, "holder_email": holder.user.email, "giver": giver.organisation.name,
                           "holder": holder.organisation.name, "paper": paper.organisation_id, "paper_name": paper.organisation.name}))
"""


def _setup(site) -> dict:
    out = site.manage("shell", "-c", SETUP)
    return json.loads(next(line for line in out.splitlines() if line.startswith("JSON"))[4:])


def test_holder_votes_for_two_organisations_chair_enters_paper_and_confirms_close(open_session, live_site):
    data = _setup(live_site)
    url = f"/forum-pasi/votes/{data['motion']}/"

    holder = open_session()
    holder.login(data["holder_email"])
    holder.goto(url)
    forms = holder.page.locator("form.ballot-form")
    expect(forms).to_have_count(2)
    own = holder.page.locator("form.ballot-form").filter(has_text=data["holder"])
    own.get_by_label("Pour", exact=True).check()
    with holder.page.expect_navigation():
        own.get_by_role("button", name=re.compile("^Voter pour")).click()
    represented = holder.page.locator("form.ballot-form").filter(has_text=data["giver"])
    represented.get_by_label("Contre", exact=True).check()
    with holder.page.expect_navigation():
        represented.get_by_role("button", name=re.compile("^Voter pour")).click()
    expect(holder.page.locator(".own-ballot")).to_have_count(2)
    expect(holder.page.locator(".ballot-slot").filter(has_text=data["giver"])).to_contain_text("Contre")
    assert holder.axe_violations() == []

    chair = open_session()
    chair.login("projet@demo.tcri.example")
    chair.goto(url)
    chair.page.get_by_label("Organisme", exact=True).select_option(str(data["paper"]))
    chair.page.get_by_label("Canal").select_option("paper")
    chair.page.locator("#enter-ballot-form").get_by_label("Abstention", exact=True).check()
    with chair.page.expect_navigation():
        chair.page.get_by_role("button", name="Enregistrer le bulletin").click()
    expect(chair.page.locator('[data-entered="paper"]')).to_have_text("1")

    # Keyboard only: the dialog opens on the close button, Tab stays inside, Escape cancels.
    close = chair.page.get_by_role("button", name="Fermer le vote")
    close.focus()
    chair.page.keyboard.press("Enter")
    dialog = chair.page.get_by_role("dialog", name="Fermer le vote ?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Cela ne peut pas être annulé")
    for _ in range(3):
        chair.page.keyboard.press("Tab")
        assert chair.page.evaluate("document.activeElement.closest('dialog') !== null")
    assert chair.axe_violations() == []
    chair.page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert chair.page.evaluate("document.activeElement.textContent.trim()") == "Fermer le vote"
    expect(chair.page.locator('[data-field="status_label"]')).to_have_text("Ouvert")
    close.click()
    with chair.page.expect_navigation():
        dialog.get_by_role("button", name="Fermer le vote").click()
    expect(chair.page.locator('[data-field="result_label"]')).to_be_visible()
    roll = chair.page.locator("[data-roll-call]")
    expect(roll).to_contain_text(f"{data['paper_name']} : Abstention (Bulletin papier)")
    expect(roll).to_contain_text(f"{data['giver']} : Contre (par procuration)")
    assert chair.console_errors == [] and holder.console_errors == []
