"""Periodic jobs: what each app declares in its ``<app>/schedule.py`` and when each is due.

A job runs every ``every`` (a timedelta, periods aligned on the epoch) or each day at
``at`` (a time in America/Montreal, optionally only on ``weekday``, Monday = 0). Its
*period key* names the period that is due now ("2026-11-25" for a daily job after its time
that day); ``tcri_site.background.schedule`` runs each (job, period key) at most once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

_jobs: dict[str, Job] = {}


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[[], object]
    every: timedelta | None = None
    at: time | None = None
    weekday: int | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(settings.TIME_ZONE)

    def _last_daily(self, now: datetime) -> datetime:
        local = now.astimezone(self.zone)
        due = datetime.combine(local.date(), self.at, tzinfo=self.zone)
        while due > local or (self.weekday is not None and due.weekday() != self.weekday):
            due = datetime.combine(due.date() - timedelta(days=1), self.at, tzinfo=self.zone)
        return due

    def period_key(self, now: datetime) -> str:
        """The period due at ``now`` (the same string for every worker in that period)."""
        if self.every is not None:
            return str(int(now.timestamp() // self.every.total_seconds()))
        return self._last_daily(now).date().isoformat()

    def next_due(self, now: datetime) -> datetime:
        """When the next period starts, strictly after ``now``."""
        if self.every is not None:
            seconds = self.every.total_seconds()
            start = (int(now.timestamp() // seconds) + 1) * seconds
            return datetime.fromtimestamp(start, tz=now.tzinfo or self.zone)
        step = timedelta(days=1 if self.weekday is None else 7)
        last = self._last_daily(now)
        return datetime.combine(last.date() + step, self.at, tzinfo=self.zone)


def periodic(name: str, *, every: timedelta | None = None, at: time | None = None,
             weekday: int | None = None) -> Callable:
    """Declare ``func`` a periodic job (in an app's ``schedule.py``)."""
    if (every is None) == (at is None):
        raise ValueError(f"Job {name!r}: give either every= or at=")
    if weekday is not None and at is None:
        raise ValueError(f"Job {name!r}: weekday= needs at=")
    if every is not None and every < timedelta(minutes=1):
        raise ValueError(f"Job {name!r}: every= must be at least a minute")

    def register(func: Callable) -> Callable:
        if name in _jobs and _jobs[name].func is not func:
            raise ValueError(f"Two periodic jobs are named {name!r}")
        _jobs[name] = Job(name=name, func=func, every=every, at=at, weekday=weekday)
        return func

    return register


def jobs() -> dict[str, Job]:
    """Every declared job, by name (every app's ``schedule.py`` imported first)."""
    from tcri_site.discovery import discover

    discover("schedule")
    return dict(_jobs)
