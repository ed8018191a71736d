"""Vote benchmark: 150 organisations cast their ballot at the same moment on a real server.

    .venv/bin/python tests/bench/votes.py [--orgs 150] [--procs 1] [--secret]

A LiveSite (its own database: PostgreSQL when DATABASE_URL is set, else SQLite) is seeded,
then given ``--orgs`` extra PASI organisations with a délégué·e each and one open motion.
A watching client (the projector) listens on /ws/votes/<id>/. Half the délégué·es vote
over HTTP (form POST with CSRF), half over the WebSocket, all released at once. Prints:
ballots recorded (database) vs organisations, HTTP/WS outcomes, the time from the first
cast until the watching client sees the last tally (voted == orgs), p50/p95 of each
ballot's send → confirmation (HTTP: the POST's response; WebSocket: the ``ballot`` reply),
the time from the last accepted ballot (its confirmation at the client, and its
``changed_at`` in the database) to the final tally at the watcher, and the number of SQL
queries of the forum pages at that size. ``--secret`` runs a secret vote instead: who
voted goes to the participations and the choice to the urn (reshuffled at each ballot),
the watcher sees only how many voted. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.live import LiveSite  # noqa: E402

SETUP = r"""
import json
from datetime import timedelta
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from advocacy import services
from advocacy.models import Demand, ForumSession, Motion
from tcri_site.members.models import Membership, Organisation, Role, User

N = {orgs}
lead = User.objects.get(email="projet@demo.tcri.example")

def session_key(user):
    s = SessionStore()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

keys = []
for i in range(N):
    org, _ = Organisation.objects.get_or_create(slug=f"banc-{{i}}", defaults={{"name": f"Organisme banc {{i}}", "region": "06"}})
    user, created = User.objects.get_or_create(email=f"banc{{i}}@bench.tcri.example", defaults={{"first_name": "Banc", "last_name": str(i)}})
    if created:
        Membership.objects.create(user=user, organisation=org, role=Role.DELEGUE)
    keys.append(session_key(User.objects.get(pk=user.pk)))
start = timezone.now()
session = ForumSession.objects.create(title="Séance banc d'essai", starts_at=start, ends_at=start + timedelta(hours=2), chair=lead)
demand = Demand(title="Revendication banc d'essai", text="Que le banc d'essai passe.", state="agenda", live=True)
demand.save()
motion = Motion.objects.create(session=session, demand=demand, title="Proposition banc d'essai", ballot_kind="{kind}")
services.do_open_motion(actor=lead, motion=motion)
print("JSON" + json.dumps({{"motion": motion.pk, "session": session.pk, "keys": keys, "lead": session_key(lead)}}))
"""

COUNT = r"""
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from advocacy.models import Ballot, Motion, SecretChoice, SecretParticipation
from tcri_site.members.models import User

motion = Motion.objects.get(pk={motion})
# A secret vote: who voted (with its time) are participations; the urn holds only choices.
model, stamp = (SecretParticipation, "cast_at") if motion.is_secret else (Ballot, "changed_at")
client = Client()
client.force_login(User.objects.get(email="projet@demo.tcri.example"))
last = model.objects.filter(motion=motion).order_by("-" + stamp).values_list(stamp, flat=True).first()
out = {{"ballots": model.objects.filter(motion=motion).count(),
        "urn": SecretChoice.objects.filter(motion=motion).count(),
        "last_changed_at": last.timestamp() if last else None,
        "distinct_orgs": model.objects.filter(motion=motion).values("organisation").distinct().count()}}
pages = {{
    "vote page": f"/forum-pasi/votes/{{motion.pk}}/",
    "projector": f"/forum-pasi/votes/{{motion.pk}}/projection/",
    "session page (roll call of all orgs)": f"/forum-pasi/seances/{{motion.session_id}}/",
    "forum front": "/forum-pasi/",
    "cahier": "/forum-pasi/cahier/",
    "results CSV": f"/forum-pasi/seances/{{motion.session_id}}/resultats.csv",
}}
counts = {{}}
for name, path in pages.items():
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(path).status_code
    counts[name] = (status, len(ctx.captured_queries))
out["pages"] = counts
print("JSON" + json.dumps(out))
"""


def _json(output: str) -> dict:
    line = next(line for line in output.splitlines() if line.startswith("JSON"))
    return json.loads(line[4:])


def http_vote(base: str, key: str, motion: int, choice: str) -> tuple[int, float, float]:
    """(status, send time, confirmation time), times from ``time.perf_counter``."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", f"sessionid={key}")]
    url = f"{base}/forum-pasi/votes/{motion}/"
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf_cookie = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "choice": choice}).encode()
    request = urllib.request.Request(url, data=data, headers={
        "Cookie": f"sessionid={key}; csrftoken={csrf_cookie}", "Referer": url,
    })

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    sent = time.perf_counter()
    try:
        status = urllib.request.build_opener(NoRedirect).open(request, timeout=120).status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, sent, time.perf_counter()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run(bases: list[str], data: dict, orgs: int) -> dict:
    """Voters are spread over every server process; the watcher is on the first."""
    from websockets.asyncio.client import connect

    base = bases[0]
    motion = data["motion"]

    def ws_url_for(i: int) -> str:
        return bases[i % len(bases)].replace("http://", "ws://") + f"/ws/votes/{motion}/"

    ws_url = ws_url_for(0)

    def headers(key):
        return {"Cookie": f"sessionid={key}", "Origin": base}

    watcher = await connect(ws_url, additional_headers=headers(data["lead"]), open_timeout=60)
    await watcher.recv()
    await watcher.recv()
    choices = ["for", "against", "abstain"]
    ws_keys = data["keys"][: orgs // 2]
    http_keys = data["keys"][orgs // 2 :]
    sockets = []
    for i, key in enumerate(ws_keys):
        sock = await connect(ws_url_for(i), additional_headers=headers(key), open_timeout=60)
        await sock.recv()
        await sock.recv()
        sockets.append(sock)
    last_seen = {"voted": 0, "at": None, "wall": None}
    done = asyncio.Event()

    async def watch():
        while True:
            message = json.loads(await watcher.recv())
            if message.get("type") == "motion.state":
                last_seen["voted"] = message["voted"]
                last_seen["at"] = time.perf_counter()
                last_seen["wall"] = time.time()
                if message["voted"] >= orgs:
                    done.set()
                    return

    watch_task = asyncio.create_task(watch())
    http_results: list[tuple[int, float, float]] = []
    loop = asyncio.get_running_loop()
    t0 = time.perf_counter()

    def http_all():
        with ThreadPoolExecutor(max_workers=40) as pool:
            http_results.extend(pool.map(
                lambda kv: http_vote(bases[kv[0] % len(bases)], kv[1], motion, choices[kv[0] % 3]), enumerate(http_keys)
            ))

    http_future = loop.run_in_executor(None, http_all)

    async def cast(i, sock):
        sent = time.perf_counter()
        await sock.send(json.dumps({"type": "cast", "choice": choices[i % 3]}))
        while True:
            message = json.loads(await sock.recv())
            if message.get("type") in ("ballot", "error"):
                return message["type"], sent, time.perf_counter()

    ws_replies = await asyncio.gather(*(cast(i, s) for i, s in enumerate(sockets)))
    await http_future
    try:
        await asyncio.wait_for(done.wait(), timeout=60)
    except TimeoutError:
        pass
    watch_task.cancel()
    for sock in [*sockets, watcher]:
        await sock.close()
    return {
        "http": http_results,
        "ws": ws_replies,
        "last_tally_seconds": (last_seen["at"] - t0) if last_seen["at"] else None,
        "last_tally_at": last_seen["at"],
        "last_tally_wall": last_seen["wall"],
        "last_voted_seen": last_seen["voted"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=150)
    parser.add_argument("--procs", type=int, default=1, help="Daphne processes (use >1 only with Redis)")
    parser.add_argument("--secret", action="store_true", help="a secret vote (participations and urn)")
    args = parser.parse_args()
    site = LiveSite("bench-votes")
    try:
        started = time.perf_counter()
        site.prepare()
        data = _json(site.manage("shell", "-c", SETUP.format(orgs=args.orgs, kind="secret" if args.secret else "roll_call")))
        site.start(args.procs)
        layer = "Redis" if site.env.get("REDIS_URL") else "in-memory"
        print(f"setup: {time.perf_counter() - started:.1f} s, database: {'PostgreSQL' if site.pg_name else 'SQLite'}, "
              f"channel layer: {layer}, Daphne processes: {args.procs}")
        result = asyncio.run(run(site.urls, data, args.orgs))
        counts = _json(site.manage("shell", "-c", COUNT.format(motion=data["motion"])))
        http_ok = sum(1 for s, _sent, _done in result["http"] if s == 302)
        ws_ok = sum(1 for r, _sent, _done in result["ws"] if r == "ballot")
        accepted = [(sent, done) for s, sent, done in result["http"] if s == 302]
        accepted += [(sent, done) for r, sent, done in result["ws"] if r == "ballot"]
        http_ms = [(done - sent) * 1000 for s, sent, done in result["http"] if s == 302]
        ws_ms = [(done - sent) * 1000 for r, sent, done in result["ws"] if r == "ballot"]
        all_ms = http_ms + ws_ms
        print(f"organisations voting:          {args.orgs} ({len(result['http'])} over HTTP, {len(result['ws'])} over WebSocket)")
        print(f"accepted:                      HTTP {http_ok}/{len(result['http'])}, WebSocket {ws_ok}/{len(result['ws'])}")
        print(f"ballots recorded (database):   {counts['ballots']} (distinct organisations {counts['distinct_orgs']}); "
              f"ratio {counts['ballots'] / args.orgs:.3f}" + (f"; urn {counts['urn']}" if args.secret else ""))
        if result["last_tally_seconds"] is not None:
            print(f"last tally at watching client: {result['last_tally_seconds'] * 1000:.0f} ms after the first cast "
                  f"(voted {result['last_voted_seen']}/{args.orgs})")
        else:
            print("last tally at watching client: never received")
        print(f"ballot send -> confirmation:   p50 {percentile(all_ms, 0.5):.0f} ms, p95 {percentile(all_ms, 0.95):.0f} ms "
              f"(HTTP p50 {percentile(http_ms, 0.5):.0f} / p95 {percentile(http_ms, 0.95):.0f} ms, "
              f"WebSocket p50 {percentile(ws_ms, 0.5):.0f} / p95 {percentile(ws_ms, 0.95):.0f} ms)")
        if accepted and result["last_tally_at"] is not None and result["last_voted_seen"] >= args.orgs:
            last_confirmed = max(done for _sent, done in accepted)
            print(f"last accepted ballot -> final tally at watcher: "
                  f"{(result['last_tally_at'] - last_confirmed) * 1000:.0f} ms after its confirmation reached the voter"
                  + (f", {(result['last_tally_wall'] - counts['last_changed_at']) * 1000:.0f} ms after it was stored"
                     if counts.get("last_changed_at") else ""))
        else:
            print("last accepted ballot -> final tally at watcher: the final tally never arrived")
        print("page queries at this size (status, queries):")
        for name, (status, n) in counts["pages"].items():
            print(f"  {name:<40} {status}  {n}")
    finally:
        site.stop()


if __name__ == "__main__":
    main()
