"""What ``manage.py seed_demo`` hands to each app's ``seed.py``, and a plain progress bar.

Each app may define ``<app>/seed.py`` with ``seed(ctx: SeedContext) -> None``. Seeders
must be idempotent: running ``seed_demo`` twice creates nothing the second time. They
read ``ctx.scale`` to multiply their content for benchmarks.

Order: later seeders use the organisations and people created first. Seeders run in
``INSTALLED_APPS`` order (members, home, then trainings, forum, advocacy), except that a
seed module may declare ``SEED_ORDER`` (default 50, lower first): notifications (80) come
after the apps they link to, search (90) indexes last what every other seeder created.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import TextIO

from tcri_site.discovery import discover

DEFAULT_SEED_ORDER = 50


def seeders() -> list[ModuleType]:
    """Every app's ``seed`` module, in the order they must run (see the module docstring)."""
    found = discover("seed")
    return sorted(found, key=lambda m: getattr(m, "SEED_ORDER", DEFAULT_SEED_ORDER))  # stable

#: The password of every demo account ``seed_demo`` creates (printed at the end of the run).
DEMO_PASSWORD = "tcri-demo-2026"


class Progress:
    """A text progress bar; redraws in place on a terminal, prints every 10 % otherwise."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, width: int = 30):
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stdout
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self._last_decile = -1
        self._tty = hasattr(self.stream, "isatty") and self.stream.isatty()

    def advance(self, n: int = 1) -> None:
        self.done = min(self.total, self.done + n)
        decile = self.done * 10 // self.total
        if self._tty or decile != self._last_decile or self.done == self.total:
            self._last_decile = decile
            self._draw()

    def _draw(self) -> None:
        filled = self.width * self.done // self.total
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label:<28} [{bar}] {self.done}/{self.total}"
        end = "" if self._tty and self.done < self.total else "\n"
        prefix = "\r" if self._tty else ""
        self.stream.write(prefix + line + end)
        self.stream.flush()

    def finish(self) -> None:
        if self.done < self.total:
            self.done = self.total - 1
            self.advance()


@dataclass
class SeedContext:
    stdout: TextIO
    scale: int = 1
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    # Demo accounts to print at the end: (role label, e-mail).
    accounts: list[tuple[str, str]] = field(default_factory=list)

    def progress(self, total: int, label: str) -> Progress:
        return Progress(total, label, self.stdout)

    def say(self, message: str) -> None:
        self.stdout.write(message + "\n")
