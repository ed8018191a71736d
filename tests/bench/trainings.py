"""Benchmark of the training pages on a large demo database.

    .venv/bin/python tests/bench/trainings.py [--scale 45] [--runs 30]

Seeds a LiveSite with ``seed_demo --scale N`` (45 gives about 1,100 sessions and 5,000+
registrations), starts one Daphne process, and prints for the sessions listing (filtered,
searched and not, French and English), a session's detail, « Mes formations », the catalogue
of material, a material page with its sessions and seats, and the home page: the number of SQL queries (measured
in-process with Django's test client on the same database) and the median response time
as a ratio to /healthz served by the same server. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.live import LiveSite  # noqa: E402

MEMBER = "membre@demo.tcri.example"
PASSWORD = "tcri-demo-2026"


def _opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def _login(base: str):
    opener, jar = _opener()
    opener.open(f"{base}/comptes/connexion/").read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"username": MEMBER, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(f"{base}/comptes/connexion/", data=data, headers={"Referer": f"{base}/comptes/connexion/"})
    opener.open(request).read()
    return opener


def _median(opener, url: str, runs: int) -> float:
    opener.open(url).read()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        with opener.open(url) as response:
            response.read()
            assert response.status == 200, url
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _query_counts(site: LiveSite, paths: dict[str, str]) -> dict[str, int]:
    os.environ.update({k: v for k, v in site.env.items() if k in ("SQLITE_PATH", "DATABASE_URL", "MEDIA_ROOT")})
    if "DATABASE_URL" not in site.env:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tcri_site.settings.test"
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tcri_site.members.models import User

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(email=MEMBER), backend="django.contrib.auth.backends.ModelBackend")
    counts = {}
    for name, path in paths.items():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(ctx)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=45)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    site = LiveSite("bench-trainings", seed_args=("--scale", str(args.scale)))
    started = time.perf_counter()
    site.prepare()
    print(f"seed_demo --scale {args.scale}: {time.perf_counter() - started:.0f} s")
    try:
        site.start(1)
        base = site.url
        counts_script = (
            "from trainings.models import Registration, TrainingSession;"
            "s = TrainingSession.objects.filter(registrations__isnull=False).order_by('-starts_at').first();"
            "print(TrainingSession.objects.count(), Registration.objects.count(), s.pk, s.training.slug)"
        )
        sessions, registrations, detail_pk, slug = site.manage("shell", "-c", counts_script).strip().splitlines()[-1].split()
        print(f"{sessions} sessions, {registrations} registrations")
        paths = {
            "listing": "/seances/",
            "listing (status filter, page 3)": "/seances/?statut=demandeur-asile&quand=all&page=3",
            "detail": f"/seances/{detail_pk}/",
            "Mes formations": "/seances/mes-formations/",
            "listing (text search)": "/seances/?q=demandeur+d%27asile",
            "listing (en, region, dates)": "/en/seances/?region=06&du=2026-01-01&au=2027-12-31",
            "catalogue": "/formations/",
            "catalogue (en)": "/en/formations/",
            "material page": f"/formations/{slug}/",
            "material page (en)": f"/en/formations/{slug}/",
            "home": "/",
        }
        opener = _login(base)
        baseline = _median(opener, f"{base}/healthz", args.runs)
        print(f"/healthz median: {baseline * 1000:.1f} ms (ratio 1.0)")
        medians = {name: _median(opener, base + path, args.runs) for name, path in paths.items()}
        counts = _query_counts(site, paths)
        print(f"{'page':<34} {'queries':>7} {'median ms':>10} {'÷ healthz':>10}")
        for name in paths:
            print(f"{name:<34} {counts[name]:>7} {medians[name] * 1000:>10.1f} {medians[name] / baseline:>10.1f}")
    finally:
        site.stop()


if __name__ == "__main__":
    main()
