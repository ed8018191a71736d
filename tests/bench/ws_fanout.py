"""Fan-out benchmark for /ws/forum/: delivery and latency against a bare websockets server.

    .venv/bin/python tests/bench/ws_fanout.py [--clients 200] [--procs 4] [--rates 10,20,50,100]
        [--seconds 3] [--idle 500] [--skip-redis]

N clients (spread over several client processes) subscribe to one thread; one sender posts
``message.create`` at stepped rates. Every message goes through the real service (stored,
then broadcast on commit). For each rate it prints delivered/expected and p50/p99 latency
(send → receive, wall clock on this machine), then the highest rate whose p99 stays under
250 ms, for:
  - baseline: a bare ``websockets`` server that re-broadcasts each frame to every client;
  - memory:   one Daphne process, in-memory channel layer;
  - redis:    two Daphne processes sharing Redis (clients split across both), when
              REDIS_URL is set (else skipped).
Then the ratios to the baseline at 20 messages/s, and memory per idle connection with
``--idle`` connections open. Nothing is asserted: this prints numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.forum.live_ws import sessions  # noqa: E402
from tests.live import LiveSite, free_port  # noqa: E402

EMAILS = [f"p{j}.org{i}@demo.tcri.example" for i in range(2, 12) for j in (1, 2, 3)]
SENDER = "membre@demo.tcri.example"


# --- Baseline server -----------------------------------------------------------------------

def baseline_server(port: int, ready) -> None:
    from websockets.asyncio.server import broadcast, serve

    clients = set()

    async def handler(ws):
        clients.add(ws)
        try:
            async for frame in ws:
                broadcast(clients, frame)
        finally:
            clients.discard(ws)

    async def main():
        async with serve(handler, "127.0.0.1", port, max_size=2**22, ping_interval=None):
            ready.set()
            await asyncio.Future()

    asyncio.run(main())


# --- Client processes ----------------------------------------------------------------------

def client_process(urls, keys, thread_id, count, mode, offset, ready, stop, results) -> None:
    asyncio.run(_clients(urls, keys, thread_id, count, mode, offset, ready, stop, results))


async def _open(url, key, mode):
    from websockets.asyncio.client import connect

    headers = {"Cookie": f"sessionid={key}", "Origin": url} if key else {}
    ws_url = url.replace("http://", "ws://") + ("/ws/forum/" if mode == "forum" else "/")
    return await connect(ws_url, additional_headers=headers, max_size=2**22, ping_interval=None,
                         open_timeout=60)


async def _clients(urls, keys, thread_id, count, mode, offset, ready, stop, results):
    sockets = []
    for i in range(count):
        n = offset + i
        ws = await _open(urls[n % len(urls)], keys[n % len(keys)] if keys else None, mode)
        if mode == "forum":
            await ws.send(json.dumps({"type": "subscribe", "thread": thread_id}))
            while json.loads(await ws.recv()).get("type") != "subscribed":
                pass
        sockets.append(ws)
    received: dict[int, list[float]] = {}

    async def reader(ws):
        try:
            async for raw in ws:
                now = time.time()
                try:
                    frame = json.loads(raw)
                except ValueError:
                    continue
                if mode == "forum" and frame.get("type") != "message.created":
                    continue
                body = (frame.get("payload") or {}).get("body") or ""
                if not body.startswith("bench|"):
                    continue
                _b, step, _i, sent = body.split("|")
                received.setdefault(int(step), []).append((now - float(sent)) * 1000)
        except Exception:  # noqa: BLE001 - a closed socket ends its reader
            return

    tasks = [asyncio.create_task(reader(ws)) for ws in sockets]
    await asyncio.sleep(2.5)  # let the presence announcements settle
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.2)
    for ws in sockets:
        await ws.close()
    for task in tasks:
        task.cancel()
    results.put(received)


# --- Sender ----------------------------------------------------------------------------------

async def send_steps(url, key, thread_id, rates, seconds, mode):
    ws = await _open(url, key, mode)
    if mode == "forum":
        await ws.send(json.dumps({"type": "subscribe", "thread": thread_id}))

    acked = {"n": 0}

    async def drain():
        try:
            async for raw in ws:
                frame = json.loads(raw)
                if mode == "forum" and frame.get("type") == "ack":
                    acked["n"] += 1
                elif mode == "plain":
                    acked["n"] += 1
        except Exception:  # noqa: BLE001
            return

    drainer = asyncio.create_task(drain())
    sent = {}
    total = 0
    for step, rate in enumerate(rates):
        n = int(rate * seconds)
        start = time.monotonic()
        for i in range(n):
            target = start + i / rate
            delay = target - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            body = f"bench|{step}|{i}|{time.time():.6f}"
            await ws.send(json.dumps({"type": "message.create", "thread": thread_id,
                                      "client_id": f"bench-{os.getpid()}-{mode}-{step}-{i}-{time.time()}",
                                      "payload": {"body": body}}))
        sent[step] = n
        total += n
        # Wait until the server has stored (acknowledged) every message of the step, then
        # let the broadcasts drain, so a slow step does not spill into the next one.
        deadline = time.monotonic() + 60
        while acked["n"] < total and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(2.0)
    drainer.cancel()
    await ws.close()
    return sent


def run_scenario(name, urls, keys, sender_key, thread_id, args, mode):
    rates = args.rates
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    results = ctx.Queue()
    per = [args.clients // args.procs + (1 if i < args.clients % args.procs else 0) for i in range(args.procs)]
    procs, readies, offset = [], [], 0
    for count in per:
        ready = ctx.Event()
        proc = ctx.Process(target=client_process,
                           args=(urls, keys, thread_id, count, mode, offset, ready, stop, results))
        proc.start()
        procs.append(proc)
        readies.append(ready)
        offset += count
    for ready in readies:
        if not ready.wait(180):
            raise RuntimeError(f"{name}: clients did not connect in time")
    sent = asyncio.run(send_steps(urls[0], sender_key, thread_id, rates, args.seconds, mode))
    stop.set()
    merged: dict[int, list[float]] = {}
    for _ in procs:
        for step, lat in results.get(timeout=120).items():
            merged.setdefault(step, []).extend(lat)
    for proc in procs:
        proc.join(30)
    rows = []
    for step, rate in enumerate(rates):
        lat = sorted(merged.get(step, []))
        expected = sent[step] * args.clients
        p50 = statistics.median(lat) if lat else float("nan")
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
        rows.append({"rate": rate, "delivered": len(lat), "expected": expected, "p50": p50, "p99": p99})
    return rows


def report(name, rows):
    print(f"\n== {name} ==")
    print(f"{'rate/s':>7} {'delivered/expected':>22} {'%':>7} {'p50 ms':>9} {'p99 ms':>9}")
    for r in rows:
        pct = 100.0 * r["delivered"] / r["expected"] if r["expected"] else 0
        print(f"{r['rate']:>7} {r['delivered']:>11}/{r['expected']:<10} {pct:>6.1f}% {r['p50']:>9.1f} {r['p99']:>9.1f}")
    ok = [r["rate"] for r in rows if r["p99"] < 250 and r["delivered"] == r["expected"]]
    print(f"highest rate with 100% delivery and p99 < 250 ms: {max(ok) if ok else 'none'} msg/s")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _hold(urls, keys, count, mode, seconds=3.0):
    sockets = []
    for i in range(count):
        try:
            sockets.append(await _open(urls[0], keys[i % len(keys)] if keys else None, mode))
        except Exception as exc:  # noqa: BLE001 - report how many could be opened
            print(f"  could open only {len(sockets)} of {count} idle connections: {exc!r}")
            break
    await asyncio.sleep(seconds)
    return sockets


def idle_memory(pid, urls, keys, count, mode):
    async def main():
        before = rss_kb(pid)
        sockets = await _hold(urls, keys, count, mode)
        after = rss_kb(pid)
        for ws in sockets:
            await ws.close()
        return before, after, len(sockets)

    before, after, opened = asyncio.run(main())
    return (after - before) / max(opened, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--procs", type=int, default=4)
    parser.add_argument("--rates", default="10,20,50,100")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--idle", type=int, default=500)
    parser.add_argument("--skip-redis", action="store_true")
    args = parser.parse_args()
    args.rates = [int(r) for r in args.rates.split(",")]
    redis_url = os.environ.get("REDIS_URL", "")
    print(f"parameters: clients={args.clients} client_processes={args.procs} rates={args.rates} "
          f"seconds_per_step={args.seconds} idle_connections={args.idle} cpus={os.cpu_count()} "
          f"redis={'yes' if redis_url and not args.skip_redis else 'no'}")

    results = {}
    # Baseline: bare websockets broadcast server.
    port = free_port()
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    server = ctx.Process(target=baseline_server, args=(port, ready), daemon=True)
    server.start()
    ready.wait(30)
    base_url = f"http://127.0.0.1:{port}"
    results["baseline"] = run_scenario("baseline", [base_url], None, None, 0, args, "plain")
    report("baseline: bare websockets broadcast", results["baseline"])
    base_mem = idle_memory(server.pid, [base_url], None, args.idle, "plain")
    server.terminate()

    env = {"FORUM_RATE_LIMIT": "1000000/1", "FORUM_FLOOD_FRAMES": "1000000", "LOG_LEVEL": "WARNING"}
    site = LiveSite("fanout", extra_env=env)
    site.env.pop("REDIS_URL", None)
    site.prepare()
    mem_forum = None
    try:
        site.start(1)
        thread_id, keys = sessions(site, EMAILS + [SENDER])
        sender_key, keys = keys[-1], keys[:-1]
        results["memory"] = run_scenario("memory", site.urls, keys, sender_key, thread_id, args, "forum")
        report("forum, one Daphne, in-memory layer", results["memory"])
        mem_forum = idle_memory(site.processes[0].pid, site.urls, keys, args.idle, "forum")
        for proc in site.processes:
            proc.terminate()
            proc.wait(10)
            proc.log_file.close()
        site.processes.clear()
        site.urls.clear()
        if redis_url and not args.skip_redis:
            site.env["REDIS_URL"] = redis_url
            site.start(2)
            results["redis"] = run_scenario("redis", site.urls, keys, sender_key, thread_id, args, "forum")
            report("forum, two Daphne processes, Redis layer", results["redis"])
    finally:
        site.stop()

    print("\n== ratios to the baseline at 20 messages/s (aim: p50 ≤ 3×, p99 ≤ 6×, 100% delivery) ==")
    base20 = next((r for r in results["baseline"] if r["rate"] == 20), None)
    for name in ("memory", "redis"):
        row = next((r for r in results.get(name, []) if r["rate"] == 20), None)
        if not row or not base20:
            print(f"{name}: not measured")
            continue
        print(f"{name:>7}: p50 {row['p50'] / base20['p50']:.1f}×  p99 {row['p99'] / base20['p99']:.1f}×  "
              f"delivery {100.0 * row['delivered'] / row['expected']:.1f}%")
    print(f"\n== memory per idle connection ({args.idle} open) ==")
    print(f"baseline websockets: {base_mem:.1f} KiB; forum (Daphne): {mem_forum:.1f} KiB; "
          f"ratio {mem_forum / base_mem if base_mem > 0 else float('nan'):.1f}×")


if __name__ == "__main__":
    main()
