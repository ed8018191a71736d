"""Coalesced tally broadcasts (``tcri_site.live.coalesce``): many ballots in a burst give a
few broadcasts, at most one per interval, and the last one runs after the last ballot."""

import asyncio
import time

from asgiref.sync import sync_to_async

from tcri_site import live


async def test_a_burst_of_calls_runs_a_few_times_and_last_after_the_last_call():
    counter = {"n": 0}
    runs: list[tuple[float, int]] = []

    def work():
        runs.append((time.monotonic(), counter["n"]))

    def burst():
        for _ in range(60):
            counter["n"] += 1
            live.coalesce(("test", "burst"), 0.2, work)
            time.sleep(0.01)

    started = time.monotonic()
    await sync_to_async(burst, thread_sensitive=False)()
    # Runs go through the process's database thread, which other work may hold a while on a
    # loaded machine: wait (up to 20 s) for the run that has seen every call.
    deadline = time.monotonic() + 20
    while (not runs or runs[-1][1] < 60) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.monotonic() - started
    assert runs, "the coalesced work never ran"
    # At most one run per 0.2 s (plus the first at once), far fewer than the 60 calls.
    assert len(runs) <= int(elapsed / 0.2) + 2 and len(runs) < 15
    gaps = [b[0] - a[0] for a, b in zip(runs, runs[1:], strict=False)]
    assert all(gap >= 0.15 for gap in gaps)
    # The last run saw every call.
    assert runs[-1][1] == 60


def test_outside_a_server_it_runs_at_once():
    runs = []
    for i in range(3):
        live.coalesce(("test", "sync"), 0.2, runs.append, i)
    assert runs == [0, 1, 2]
