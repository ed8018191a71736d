"""Door 6: the demo (scripts/run) runs with DEBUG off, and a missing page is the site's 404."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DEBUG, s.SERVE_MEDIA, s.WHITENOISE_USE_FINDERS)"
)


def _demo_settings(**env):
    run = (ROOT / "scripts" / "run").read_text()
    assert 'DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-tcri_site.settings.demo}"' in run
    environ = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SERVE_MEDIA")}
    environ.update(DJANGO_SETTINGS_MODULE="tcri_site.settings.demo", **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_scripts_run_serves_without_debug_unless_asked():
    assert _demo_settings() == ["False", "True", "True"]
    assert _demo_settings(DEBUG="1")[0] == "True"


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "text"), [("", "Page introuvable"), ("/en", "Page not found")])
def test_missing_page_is_the_sites_404_without_url_patterns(client, settings, prefix, text):
    settings.DEBUG = False
    response = client.get(f"{prefix}/cette-page-nexiste-pas/")
    body = response.content.decode()
    assert response.status_code == 404
    assert text in body and "Espace TCRI-PASI" in body
    assert "URLconf" not in body and "espaces/" not in body.split("<main", 1)[-1].split("</main>")[0]
