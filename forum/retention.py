"""Attachments of messages older than settings.RETENTION_ATTACHMENT_MONTHS are destroyed,
file, thumbnail and row; the message stays (the privacy_guard retention registry runs this)."""

from __future__ import annotations

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from forum.models import Attachment
from tcri_site.privacy_guard.purge import RetentionJob


def old_attachments(now: datetime) -> QuerySet:
    cutoff = now - relativedelta(months=settings.RETENTION_ATTACHMENT_MONTHS)
    return Attachment.objects.filter(message__created_at__lt=cutoff)


def destroy(queryset: QuerySet, now: datetime) -> None:
    for attachment in queryset:
        attachment.file.delete(save=False)
        if attachment.preview:
            attachment.preview.delete(save=False)
        attachment.delete()


def jobs() -> list[RetentionJob]:
    return [RetentionJob("forum.attachments", _("Pièces jointes des espaces d'échange"), old_attachments, destroy)]
