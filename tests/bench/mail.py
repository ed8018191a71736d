"""Benchmark of the chair's « Envoyer la convocation » against a slow mail server.

    .venv/bin/python tests/bench/mail.py [--delegates 150] [--delay 0.5] [--workers 1] [--runs 1]

A fresh SQLite database (migrated), ``--delegates`` délégué·es in as many organisations,
an aiosmtpd server on loopback that answers each message after ``--delay`` seconds, and
the database queue. Prints the time of the convocation request as a ratio to /healthz
(a page that sends nothing), then the time until a worker (``--workers`` threads, each a
django-tasks-db worker) has delivered the last e-mail. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--delegates", type=int, default=150)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1, help="convocations sent (each to every délégué·e)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="profile the convocation requests and print the N costliest functions")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="tcri-bench-mail-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.update({"DJANGO_SETTINGS_MODULE": "tcri_site.settings.test", "SQLITE_PATH": str(tmp / "db.sqlite3")})
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from tests.mail.conftest import DATABASE_QUEUE, run_worker
    from tests.smtp import SMTPServer

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per SMTP command
    setup_test_environment()
    settings.DATABASES["default"]["NAME"] = str(tmp / "db.sqlite3")
    call_command("migrate", verbosity=0)
    from advocacy.models import ForumSession
    from tcri_site.mail.models import EmailStatus, OutboundEmail
    from tcri_site.members.models import Role, StaffRole
    from tests.conftest import ensure_baseline
    from tests.factories import OrganisationFactory, make_member, make_staff

    ensure_baseline()
    for _ in range(args.delegates):
        make_member(OrganisationFactory(volets=[1]), Role.DELEGUE)
    chair = make_staff(StaffRole.PROJECT_LEAD)
    start = timezone.now() + timedelta(days=3)
    server = SMTPServer()
    server.stall(args.delay)
    server.controller.start()
    client = Client()
    client.force_login(chair, backend="django.contrib.auth.backends.ModelBackend")
    with override_settings(TASKS=DATABASE_QUEUE, **server.settings()):
        healthz = []
        for _ in range(20):
            t0 = time.perf_counter()
            client.get(reverse("healthz"))
            healthz.append(time.perf_counter() - t0)
        times = []
        profiler = cProfile.Profile() if args.profile else None
        for i in range(args.runs):
            session = ForumSession.objects.create(title=f"Séance {i}", starts_at=start, ends_at=start + timedelta(hours=2),
                                                  place="Montréal", chair=chair)
            t0 = time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.post(reverse("advocacy:session_convocation", args=[session.pk]))
            if profiler:
                profiler.disable()
            times.append(time.perf_counter() - t0)
            assert response.status_code == 302, response.status_code
        # A page of the same kind that sends nothing: the sitting's own page, for the chair
        # (sign-in, session, permissions, a template), beside /healthz (none of those).
        page = []
        for _ in range(20):
            t0 = time.perf_counter()
            client.get(session.get_absolute_url())
            page.append(time.perf_counter() - t0)
        base = statistics.median(healthz)
        sitting = statistics.median(page)
        request = statistics.median(times)
        sys.stdout.write(f"convocation request ({args.delegates} délégué·es): {request * 1000:.0f} ms, "
                         f"{request / base:.1f}× /healthz ({base * 1000:.1f} ms), {request / sitting:.1f}× the sitting's "
                         f"page ({sitting * 1000:.1f} ms); nothing sent by the request: {len(server.messages) == 0}\n")
        if profiler:
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(args.profile)
        queued = OutboundEmail.objects.filter(status=EmailStatus.QUEUED).count()
        expected = args.delegates * args.runs
        t0 = time.perf_counter()
        threads = [threading.Thread(target=run_worker, args=(f"bench-{n}",)) for n in range(args.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - t0
        pairs = [(rcpt, str(message["Subject"])) for rcpts, message in server.messages for rcpt in rcpts]
        sys.stdout.write(f"{len(server.messages)} of {expected} e-mails delivered ({args.delay * 1000:.0f} ms a message) "
                         f"by {args.workers} worker(s) in {elapsed:.1f} s ({queued} were queued by the requests, the "
                         f"rest written by the worker); sent twice: {len(pairs) - len(set(pairs))}\n")
    server.controller.stop()


if __name__ == "__main__":
    main()
