"""Coalesced tally broadcasts (``tcri_site.live.coalesce``): many ballots in a burst give a
few broadcasts, at most one per interval, and the last one runs after the last ballot."""

import json
import subprocess
import sys
from pathlib import Path

from tcri_site import live


def test_a_burst_of_calls_runs_a_few_times_and_last_after_the_last_call():
    # In a fresh process: the suite's own event loops and database thread are not a server's.
    out = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("coalesce_burst.py"))],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2],
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    runs, elapsed = result["runs"], result["elapsed"]
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
