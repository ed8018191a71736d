"""Door 5: the main pages and the admin call no third party and break no rule of the CSP."""

import re
from urllib.parse import urlsplit

import pytest

from tcri_site.home.management.commands.seed_demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIOLATION_SPY = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
});
"""


def _watch(session):
    outside: list[str] = []

    def route(route, request):
        host = urlsplit(request.url).hostname or ""
        if request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            outside.append(request.url)
            route.abort()

    session.context.route("**/*", route)
    session.page.add_init_script(VIOLATION_SPY)
    return outside


def _visit(session, path):
    response = session.goto(path)
    assert response.status < 400, f"{path}: {response.status}"
    session.page.wait_for_load_state("networkidle")
    return response


def _csp_errors(session):
    return [e for e in session.console_errors if re.search("Content Security Policy|CSP violation", e)]


def test_member_pages_stay_on_this_host_and_respect_the_csp(open_session):
    session = open_session(enforce_csp=True)
    outside = _watch(session)
    session.login("membre@demo.tcri.example", DEMO_PASSWORD)
    home = _visit(session, "/")
    policy = home.header_value("content-security-policy") or ""
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "img-src 'self' data:" in policy
    for path in ["/seances/", "/espaces/", "/forum-pasi/", "/forum-pasi/revendications/",
                 "/recherche/?q=asile", "/notifications/", "/en/"]:
        _visit(session, path)
    # One forum thread and one training, reached through the pages' own links.
    _visit(session, "/espaces/")
    space = session.page.locator("a[href*='/espaces/espace/']").first.get_attribute("href")
    _visit(session, space)
    thread = session.page.locator("a[href*='/espaces/fil/']").first.get_attribute("href")
    _visit(session, thread)
    _visit(session, "/seances/")
    training = session.page.locator("main a[href^='/']").first.get_attribute("href")
    _visit(session, training)
    # The advocacy forum: a demand and a session (with its live socket).
    for listing, pattern in [("/forum-pasi/revendications/", "/forum-pasi/revendications/"),
                             ("/forum-pasi/seances/", "/forum-pasi/seances/")]:
        _visit(session, listing)
        link = session.page.locator(f"main a[href^='{pattern}']").filter(has_text=re.compile(r"\w"))
        hrefs = [h for h in link.evaluate_all("els => els.map(e => e.getAttribute('href'))")
                 if re.search(r"/\d+/$", h)]
        if hrefs:
            _visit(session, hrefs[0])
    _visit(session, "/forum-pasi/cahier/")
    assert outside == []
    assert _csp_errors(session) == [], session.console_errors


def test_wagtail_admin_stays_on_this_host_and_respects_the_csp(open_session):
    session = open_session(enforce_csp=True)
    outside = _watch(session)
    session.login("projet@demo.tcri.example", DEMO_PASSWORD)
    response = _visit(session, "/admin/")
    assert "frame-ancestors 'self'" in (response.header_value("content-security-policy") or "")
    for path in ["/admin/pages/", "/admin/snippets/members/membership/", "/admin/connexions-bloquees/",
                 "/tableau-de-bord/"]:
        _visit(session, path)
    # A page editor (with its live preview panel).
    _visit(session, "/admin/pages/")
    edit = session.page.locator("a[href*='/edit/']").first.get_attribute("href")
    _visit(session, edit)
    assert outside == [], outside
    assert _csp_errors(session) == [], session.console_errors
