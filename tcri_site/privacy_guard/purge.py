"""``run_retention()``: every configured retention period, applied (or only listed).

Each installed app may ship a ``retention.py`` whose ``jobs()`` returns ``RetentionJob``
objects (tcri_site.discovery): the foundation's are the notification history
(tcri_site/notifications/retention.py) and the inactive accounts (privacy_guard/retention.py);
the forum adds its attachments. A job's ``select(now)`` is what would go at ``now``; its
``apply(queryset, now)`` destroys, anonymises or deactivates it. ``run_retention`` is what
the scheduled jobs call; ``manage.py purge_personal_data [--dry-run]`` prints the same.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tcri_site.discovery import discover

logger = logging.getLogger(__name__)


@dataclass
class RetentionJob:
    key: str
    label: str
    select: Callable[[datetime], QuerySet]
    apply: Callable[[QuerySet, datetime], None]


@dataclass
class Outcome:
    key: str
    label: str
    ids: list[int] = field(default_factory=list)
    done: bool = False

    @property
    def count(self) -> int:
        return len(self.ids)


def retention_jobs() -> list[RetentionJob]:
    return [job for module in discover("retention") if hasattr(module, "jobs") for job in module.jobs()]


def run_retention(dry_run: bool = False, now: datetime | None = None) -> list[Outcome]:
    """Apply every retention period at ``now`` (default: now); with ``dry_run``, change
    nothing and say what would go. Each job runs in its own transaction."""
    now = now or timezone.now()
    outcomes = []
    for job in retention_jobs():
        queryset = job.select(now)
        ids = sorted(queryset.values_list("pk", flat=True))
        outcome = Outcome(job.key, str(job.label), ids)
        if ids and not dry_run:
            with transaction.atomic():
                job.apply(queryset.model.objects.filter(pk__in=ids), now)
            outcome.done = True
            logger.info("Retention %s: %d", job.key, len(ids))
        outcomes.append(outcome)
    return outcomes
