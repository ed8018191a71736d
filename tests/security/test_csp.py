"""Door 5: CSP header on every page, no inline script in our templates, no Gravatar."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = ["tcri_site", "trainings", "forum", "advocacy", "search"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def _templates():
    for app in TEMPLATE_DIRS:
        yield from (ROOT / app).rglob("templates/**/*.html")


def test_our_templates_have_no_inline_script_nor_handler():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER):
            found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []


def test_no_gravatar():
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


@pytest.mark.django_db
def test_site_pages_carry_the_strict_policy(client, member):
    client.force_login(member)
    policy = client.get("/espaces/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if " " in d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["img-src"] == "'self' data:"
    assert set(directives["connect-src"].split()) == {"'self'", "ws://testserver", "wss://testserver"}


@pytest.mark.django_db
def test_admin_policy_allows_its_preview_frame(client, project_lead):
    client.force_login(project_lead)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
