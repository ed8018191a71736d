"""A secret vote in the browser: the délégué·e is told before casting that the ballot is
final, casts it and cannot change it; the projection shows only how many organisations voted
until the chair closes, then the counts."""

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
# Weeks ahead, so the seeded winter sitting stays the forum's upcoming one for other tests.
start = timezone.now() + timedelta(days=40)
session = ForumSession.objects.create(title="Séance d'essai du vote secret", starts_at=start, ends_at=start + timedelta(hours=2), chair=lead)
delegate = (
    Membership.objects.filter(role=Role.DELEGUE, is_active=True, organisation__is_active=True, organisation__pasi_participant=True,
                              user__email__startswith="p1.")
    .select_related("user").order_by("organisation__name").first()
)
motion = Motion.objects.create(session=session, title="Motion d'essai du vote secret", text="Que le forum essaie le vote secret.",
                               ballot_kind=BallotKind.SECRET)
services.do_open_motion(actor=lead, motion=motion)
print("JSON" + json.dumps({"motion": motion.pk, "delegate": delegate.user.email}))
"""


def _setup(site) -> dict:
    out = site.manage("shell", "-c", SETUP)
    return json.loads(next(line for line in out.splitlines() if line.startswith("JSON"))[4:])


def test_a_secret_ballot_is_final_and_its_counts_wait_for_the_close(open_session, live_site):
    data = _setup(live_site)
    url = f"/forum-pasi/votes/{data['motion']}/"

    wall = open_session()
    wall.login("projet@demo.tcri.example")
    wall.goto(url + "projection/")
    expect(wall.page.locator("[data-connection]")).to_have_text(re.compile("En direct"))
    hidden = wall.page.locator("[data-counts-hidden]")
    expect(hidden).to_be_visible()
    expect(hidden).to_contain_text("le décompte reste caché jusqu'à la fermeture")
    expect(wall.page.locator("[data-counts]")).to_be_hidden()
    expect(wall.page.locator('[data-field="voted"]')).to_have_text("0")

    delegate = open_session()
    delegate.login(data["delegate"])
    delegate.goto(url)
    button = delegate.page.get_by_role("button", name="Voter")
    expect(button).to_have_accessible_description(re.compile("une fois déposé, votre bulletin ne peut plus être changé"))
    assert delegate.axe_violations() == []
    delegate.page.get_by_label("Contre", exact=True).check()
    with delegate.page.expect_navigation():
        button.click()
    expect(delegate.page.locator("#own-ballot")).to_contain_text("Bulletin secret déposé dans l'urne")
    expect(delegate.page.locator("#own-ballot")).not_to_contain_text("Contre")
    expect(delegate.page.locator("form.ballot-form")).to_have_count(0)
    expect(delegate.page.locator(".why-not-voting")).to_contain_text("ne peut plus être changé")
    assert delegate.axe_violations() == []

    # The wall hears that one organisation voted, and nothing of how.
    expect(wall.page.locator('[data-field="voted"]')).to_have_text("1")
    expect(hidden).to_be_visible()
    expect(wall.page.locator("[data-counts]")).to_be_hidden()

    chair = open_session()
    chair.login("projet@demo.tcri.example")
    chair.goto(url)
    chair.page.get_by_role("button", name="Fermer le vote").click()
    dialog = chair.page.get_by_role("dialog", name="Fermer le vote ?")
    with chair.page.expect_navigation():
        dialog.get_by_role("button", name="Fermer le vote").click()

    # Closed: the counts and the result appear on the wall without a reload.
    expect(wall.page.locator("[data-counts]")).to_be_visible()
    expect(wall.page.locator('[data-count="against"]')).to_have_text("1")
    expect(hidden).to_be_hidden()
    expect(wall.page.locator('[data-field="result_label"]')).to_be_visible()
    wall.screenshot("advocacy-secret-vote-closed")
    assert wall.console_errors == [] and delegate.console_errors == [] and chair.console_errors == []
