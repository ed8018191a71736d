"""Playwright on Debian's Chromium against a real Daphne server seeded with the demo data.

The server and its database are made once per test session; each test gets a fresh
browser context. Screenshots are saved under test-artifacts/ for people to look at.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.live import ROOT, LiveSite

# Assertions wait as long as actions (15 s, PageSession's default timeout): on a loaded CI
# machine with two test workers, a socket's first frame once took more than Playwright's
# 5 s. Only a failing assertion waits that long.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts"
DEMO_PASSWORD = "tcri-demo-2026"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def live_site():
    site = LiveSite("browser").prepare()
    site.start()
    yield site
    site.stop()


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API keeps an event loop running in
    the main thread while it is open, which would break later tests that start their own
    loop (``asyncio.run``): module scope closes it before the next module's tests."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageSession:
    """A browser context with its page, its console errors, and shortcuts."""

    def __init__(self, browser, site: LiveSite, locale: str = "fr-CA", enforce_csp: bool = False):
        self.site = site
        # Playwright's helpers (axe injected as an inline script, string predicates of
        # wait_for_function) are what the site's CSP forbids: the CSP is bypassed unless a
        # test asks for it (tests/browser/test_security.py does, on the site's own pages).
        self.context = browser.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=not enforce_csp
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))
        self.page.on(
            "response",
            lambda r: self.failed_responses.append(f"{r.status} {r.url}") if r.status >= 400 else None,
        )
        self.failed_responses: list[str] = []

    def goto(self, path: str):
        return self.page.goto(self.site.url + path)

    def login(self, email: str, password: str = DEMO_PASSWORD) -> None:
        self.goto("/comptes/connexion/")
        self.page.get_by_label(re.compile("Adresse courriel|Email address")).fill(email)
        self.page.get_by_label(re.compile("^(Mot de passe|Password)")).fill(password)
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=re.compile("Se connecter|Log in")).click()

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def axe_violations(self, impacts=("serious", "critical")) -> list[dict]:
        if not AXE.exists():
            pytest.fail("axe-core is missing: run scripts/test, which installs it with npm.")
        self.page.add_script_tag(path=str(AXE))
        results = self.page.evaluate(
            "async () => await axe.run(document, {runOnly: ['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']})"
        )
        return [v for v in results["violations"] if v["impact"] in impacts]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser, live_site):
    """Factory: ``open_session(locale="fr-CA")`` gives a new PageSession; all are closed after."""
    sessions = []

    def make(locale: str = "fr-CA", enforce_csp: bool = False) -> PageSession:
        session = PageSession(browser, live_site, locale, enforce_csp)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()
