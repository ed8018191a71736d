"""Log the garbage collector's passes in the server processes a bench starts.

    PYTHONPATH=tests/bench/gcprobe .venv/bin/python tests/bench/ws_fanout.py --skip-redis \
        --rates 20 --seconds 10 --idle 0

Python imports ``sitecustomize`` at start-up from the path; this one acts only in processes
serving ``tcri_site.asgi`` (Daphne) and writes, to ``$GCPROBE_DIR/gc-<tag>-<pid>.txt``
(default: the system's temporary folder), every full pass and every pass over 2 ms, with
the time, the generation, the duration, the running totals per generation and the
thresholds in force. ``GCPROBE_THRESH=a,b,c`` sets the thresholds at start-up (to compare
settings); ``tcri_site/asgi.py`` then sets the third one (full passes) again after its
imports, so only the first two hold unless that line is changed too. ``GCPROBE_TAG`` names
the runs. Not part of the site: a measuring aid for docs/benchmarks.md.
"""

import gc
import os
import sys
import tempfile
import time

if "tcri_site.asgi" in " ".join(sys.argv):
    if os.environ.get("GCPROBE_THRESH"):
        gc.set_threshold(*(int(part) for part in os.environ["GCPROBE_THRESH"].split(",")))
    _folder = os.environ.get("GCPROBE_DIR") or tempfile.gettempdir()
    _tag = os.environ.get("GCPROBE_TAG", "run")
    _log = open(os.path.join(_folder, f"gc-{_tag}-{os.getpid()}.txt"), "w", buffering=1)  # noqa: SIM115
    _log.write(f"# thresholds {gc.get_threshold()}\n")
    _started = [0.0]
    _passes = [0, 0, 0]
    _total_ms = [0.0, 0.0, 0.0]

    def _on_pass(phase, info):
        if phase == "start":
            _started[0] = time.perf_counter()
            return
        generation = info["generation"]
        ms = (time.perf_counter() - _started[0]) * 1000
        _passes[generation] += 1
        _total_ms[generation] += ms
        if generation == 2 or ms > 2:
            _log.write(
                f"{time.time():.3f} gen{generation} {ms:.1f}ms collected={info['collected']} "
                f"passes={_passes} total_ms={[round(t) for t in _total_ms]} "
                f"thresholds={gc.get_threshold()}\n"
            )

    gc.callbacks.append(_on_pass)
