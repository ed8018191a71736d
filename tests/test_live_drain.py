"""``live.drain`` runs what is still waiting and waits for what another thread is running."""

import threading
import time

from tcri_site import live


def test_drain_runs_waiting_calls_and_waits_for_running_ones():
    done = []
    started = threading.Event()

    def slow(name):
        started.set()
        time.sleep(0.3)
        done.append(name)

    # Two calls deferred as a server would (the loop never comes to run them here).
    with live._soon_lock:
        live._soon[-1] = (slow, ("running",))
        live._soon[-2] = (done.append, ("waiting",))
    worker = threading.Thread(target=live.run_waiting, args=(-1,))
    worker.start()
    assert started.wait(5)
    assert live.drain(timeout=5)
    # "running" finished in the worker before drain returned; "waiting" ran here.
    assert sorted(done) == ["running", "waiting"]
    worker.join()


def test_drain_reports_a_call_that_outlasts_the_timeout():
    started, release = threading.Event(), threading.Event()

    def blocked():
        started.set()
        release.wait(5)

    with live._soon_lock:
        live._soon[-3] = (blocked, ())
    worker = threading.Thread(target=live.run_waiting, args=(-3,))
    worker.start()
    assert started.wait(5)
    assert live.drain(timeout=0.1) is False
    release.set()
    worker.join()
    assert live.drain(timeout=5)
