"""Benchmark of the project lead's dashboard, its CSV exports, an organisation's page and the
notification centre, at two demo-data sizes.

    .venv/bin/python tests/bench/dashboard.py [--small 1] [--large 10] [--runs 10]

Seeds two LiveSite databases (``seed_demo --scale small`` and ``--scale large``), then, in a
process on each database, renders every page with Django's test client and prints the
number of SQL queries and the median time, and the large/small ratios next to the ratio of
data sizes. Flat query counts mean no query grows with the data. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.live import LiveSite  # noqa: E402

MEASURE = r"""
import django
django.setup()
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from django.urls import reverse
from tcri_site.members.models import Organisation, User
from tcri_site.notifications.models import Notification
from tcri_site.dashboard.registry import entries
from trainings.models import Registration
from advocacy.models import Demand
from forum.models import Message

setup_test_environment()
RUNS = int("__RUNS__")

def measure(email, path):
    client = Client()
    client.force_login(User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend")
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    queries = len(ctx)  # now: each request clears the connection's query log
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return {"status": status, "queries": queries, "ms": statistics.median(times) * 1000}

org = Organisation.objects.order_by("pk").first()
pages = {"dashboard": ("projet@demo.tcri.example", reverse("dashboard:index"))}
for key in [entry.key for entry in entries()]:
    pages[f"csv {key}"] = ("projet@demo.tcri.example", reverse("dashboard:export", args=[key]))
pages["organisation page"] = ("delegue@demo.tcri.example", org.get_absolute_url())
pages["notification centre"] = ("delegue@demo.tcri.example", reverse("notifications:list"))
sizes = {
    "organisations": Organisation.objects.count(),
    "registrations": Registration.objects.count(),
    "demands": Demand.objects.count(),
    "forum messages": Message.objects.count(),
    "notifications": Notification.objects.count(),
}
result = {"sizes": sizes, "pages": {name: measure(*spec) for name, spec in pages.items()}}
print("BENCH" + json.dumps(result))
"""


def run(scale: int, runs: int) -> dict:
    site = LiveSite(f"bench-dashboard-{scale}", seed_args=("--scale", str(scale)))
    started = time.perf_counter()
    try:
        site.prepare()
        print(f"seed_demo --scale {scale}: {time.perf_counter() - started:.0f} s")
        env = {**site.env, "DJANGO_SETTINGS_MODULE": "tcri_site.settings.test"}
        out = subprocess.run(
            [sys.executable, "-c", MEASURE.replace("__RUNS__", str(runs))],
            cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=900,
        ).stdout
        line = next(line for line in out.splitlines() if line.startswith("BENCH"))
        return json.loads(line[len("BENCH"):])
    finally:
        site.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1)
    parser.add_argument("--large", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    small, large = run(args.small, args.runs), run(args.large, args.runs)

    print(f"\n{'data':<22} {'scale ' + str(args.small):>10} {'scale ' + str(args.large):>10} {'ratio':>7}")
    for name, count in small["sizes"].items():
        big = large["sizes"][name]
        print(f"{name:<22} {count:>10} {big:>10} {big / max(count, 1):>7.1f}")
    print(
        f"\n{'page':<34} {'queries':>8} {'queries':>8} {'ratio':>6} "
        f"{'ms':>8} {'ms':>8} {'ratio':>6}"
    )
    for name, a in small["pages"].items():
        b = large["pages"][name]
        print(
            f"{name:<34} {a['queries']:>8} {b['queries']:>8} {b['queries'] / max(a['queries'], 1):>6.2f} "
            f"{a['ms']:>8.1f} {b['ms']:>8.1f} {b['ms'] / max(a['ms'], 0.001):>6.2f}"
        )


if __name__ == "__main__":
    main()
