"""Notification history older than settings.RETENTION_NOTIFICATION_MONTHS is destroyed."""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tcri_site.notifications.models import Notification
from tcri_site.privacy_guard.purge import RetentionJob


def old_notifications(now: datetime) -> QuerySet:
    return Notification.objects.filter(created_at__lt=now - relativedelta(months=settings.RETENTION_NOTIFICATION_MONTHS))


def jobs() -> list[RetentionJob]:
    return [
        RetentionJob(
            "notifications", _("Historique des notifications"), old_notifications, lambda qs, now: qs.delete()
        )
    ]
