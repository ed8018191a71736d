"""The sitting in real browsers: the chair projects an agenda item and a vote, two wall
projectors follow; three délégué·es check in, one raises a hand with the keyboard only, the
chair gives the floor and starts the countdown, which runs on the projectors; axe finds no
serious or critical violation on the session page or the projector; the wall is
photographed at 1920×1080 and 1280×720."""

import re

from playwright.sync_api import expect

SESSION = re.compile("Séance d'hiver")
ITEM = "Appel des organismes et quorum"


def _session_url(person) -> str:
    person.goto("/forum-pasi/seances/")
    person.page.get_by_role("link", name=SESSION).first.click()
    person.page.wait_for_load_state()
    return person.page.url.replace(person.site.url, "")


def _tab_to(page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching ``selector`` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus with Tab")


def test_projectors_follow_roll_call_hand_floor_and_timer(open_session):
    chair = open_session()
    chair.login("projet@demo.tcri.example")
    path = _session_url(chair)
    assert re.search(r"/seances/\d+/$", path)
    wall = path + "projecteur/"

    projectors = []
    for email in ("membre@demo.tcri.example", "coordination@demo.tcri.example"):
        projector = open_session()
        projector.login(email)
        projector.goto(wall)
        expect(projector.page.locator("[data-connection]")).to_have_text("En direct")
        projectors.append(projector)

    # The chair projects an agenda item: both walls show it, without reload.
    chair.page.get_by_role("button", name=f"Projeter : {ITEM}").click()
    for projector in projectors:
        expect(projector.page.locator("[data-title]")).to_have_text(ITEM)

    # Roll call: the chair opens it, three délégué·es check in, the quorum follows live.
    chair.page.get_by_role("button", name="Ouvrir l'appel").click()
    expect(chair.page.locator("[data-roll-state]")).to_contain_text("L'appel est ouvert.")
    before = int(re.search(r"(\d+) organisme", chair.page.locator('[data-field="quorum_line"]').inner_text()).group(1))
    delegates, newly_present = [], 0
    # The live server is shared by the session's browser tests: an organisation another test
    # already marked present does not add to the count.
    for n, email in enumerate(("delegue@demo.tcri.example", "p1.org2@demo.tcri.example", "p1.org3@demo.tcri.example")):
        delegate = open_session()
        delegate.login(email)
        delegate.goto(path)
        mode = "Présent·e sur place" if n % 2 == 0 else "Présent·e en ligne"
        button = delegate.page.get_by_role("button", name=mode)
        newly_present += delegate.page.locator("[data-own-status]").inner_text() == "pas encore inscrit"
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        delegates.append(delegate)
    expect(chair.page.locator('[data-field="quorum_line"]')).to_contain_text(f"{before + newly_present} organismes présents")
    expect(projectors[0].page.locator("[data-quorum]")).to_contain_text(f"{before + newly_present} présents")

    # One délégué·e raises a hand with the keyboard only.
    speaker = delegates[1]
    page = speaker.page
    page.reload()
    page.locator("body").click(position={"x": 1, "y": 1})
    _tab_to(page, '[data-hand="0"]')
    page.keyboard.press("Enter")
    hand = page.locator('[data-hand="0"]')
    expect(hand).to_have_attribute("aria-pressed", "true")
    queue = projectors[1].page.locator("[data-queue] li").first
    expect(queue).not_to_have_text("Personne n'a demandé la parole.")
    org = queue.inner_text().strip()
    expect(chair.page.locator("[data-speakers] li").first).to_contain_text(org)
    assert delegates[0].axe_violations() == [], "session page (délégué·e)"

    # The chair gives the floor and starts the countdown: it runs on both walls.
    chair.page.get_by_role("button", name=f"Donner la parole : {org}").click()
    for projector in projectors:
        expect(projector.page.locator("[data-current]")).to_contain_text(org)
    expect(hand).to_have_attribute("aria-pressed", "false")
    chair.page.get_by_role("button", name="Démarrer le chronomètre").click()
    for projector in projectors:
        expect(projector.page.locator("[data-timer]")).to_have_text(re.compile(r"^2:5\d$"), timeout=8000)
    assert chair.axe_violations() == [], "session page (chair)"

    # A vote projected: the text and the vote in progress.
    chair.page.get_by_role("button", name=re.compile("^Projeter : Proposition : Hébergement")).click()
    for projector in projectors:
        expect(projector.page.locator("[data-title]")).to_have_text(re.compile("^Proposition : Hébergement"))
        expect(projector.page.locator("[data-vote]")).to_contain_text("organismes ont voté sur")
    wall_page = projectors[0]
    assert wall_page.axe_violations() == [], "projector"
    for width, height in ((1920, 1080), (1280, 720)):
        wall_page.page.set_viewport_size({"width": width, "height": height})
        wall_page.screenshot(f"projector-vote-{width}x{height}")
    chair.page.get_by_role("button", name=f"Projeter : {ITEM}").click()
    expect(wall_page.page.locator("[data-title]")).to_have_text(ITEM)
    for width, height in ((1920, 1080), (1280, 720)):
        wall_page.page.set_viewport_size({"width": width, "height": height})
        wall_page.screenshot(f"projector-item-{width}x{height}")
    chair.screenshot("session-sitting-chair")
    for person in (chair, *projectors, *delegates):
        assert person.console_errors == [], (person.console_errors, person.failed_responses)
