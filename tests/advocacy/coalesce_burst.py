"""Run by tests/advocacy/test_coalesce.py in a fresh process: a burst of 60 coalesced calls
from a worker thread while an event loop serves, as in Daphne; prints the runs as JSON."""

import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcri_site.settings.test")
django.setup()

from asgiref.sync import sync_to_async  # noqa: E402

from tcri_site import live  # noqa: E402


async def main() -> None:
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
    deadline = time.monotonic() + 20
    while (not runs or runs[-1][1] < 60) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    sys.stdout.write(json.dumps({"elapsed": time.monotonic() - started, "runs": runs}) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
