"""Moderation: hiding and restoring messages, locking and pinning threads, and reports.

``_set_report_status`` is the only writer of ``Report.status``.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.errors import InvalidForumInput, UnknownMessage
from forum.models import Message, Report, ReportStatus, Thread
from forum.services.checks import check_perm, locked_thread
from forum.services.events import append_event
from forum.services.messages import locked_message
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify


def _set_report_status(report: Report, *, actor, status: ReportStatus) -> Report:
    """Close an open report as ``status`` (hidden or dismissed), through the model."""
    report.status = status
    report.resolved_by = actor
    report.resolved_at = timezone.now()
    report.save(update_fields=["status", "resolved_by", "resolved_at"])
    return report


def do_set_hidden(*, actor, message_id, hidden: bool) -> Message:
    with transaction.atomic():
        message, thread = locked_message(message_id)
        check_perm(actor, "forum.moderate", thread)
        if hidden == message.is_hidden:
            return message
        message.hidden_at = timezone.now() if hidden else None
        message.hidden_by = actor if hidden else None
        message.save(update_fields=["hidden_at", "hidden_by"])
        append_event(thread, "message.hidden" if hidden else "message.restored", message)
        if hidden:
            for report in Report.objects.filter(message=message, status=ReportStatus.OPEN):
                _set_report_status(report, actor=actor, status=ReportStatus.HIDDEN)
        if message.author_id:
            notify(
                [message.author],
                kind=Kind.MODERATION,
                title=lambda: (
                    _("Votre message dans « %(thread)s » a été masqué par la modération.")
                    if hidden
                    else _("Votre message dans « %(thread)s » a été rétabli par la modération.")
                )
                % {"thread": thread.title},
                url=thread.get_absolute_url,
                actor=actor,
            )
    return message


def do_set_thread_flags(*, actor, thread_id, locked: bool | None = None, pinned: bool | None = None) -> Thread:
    with transaction.atomic():
        thread = locked_thread(thread_id)
        check_perm(actor, "forum.moderate", thread)
        if locked is not None and locked != thread.is_locked:
            thread.is_locked = locked
            thread.save(update_fields=["is_locked"])
            append_event(thread, "thread.locked" if locked else "thread.unlocked")
        if pinned is not None and pinned != thread.is_pinned:
            thread.is_pinned = pinned
            thread.save(update_fields=["is_pinned"])
            append_event(thread, "thread.pinned" if pinned else "thread.unpinned")
    return thread


def do_report_message(*, actor, message_id, reason: str) -> Report:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidForumInput(_("Indiquez le motif du signalement."))
    if len(reason) > 1000:
        raise InvalidForumInput(_("Le motif est trop long (1000 caractères au plus)."), code="reason_too_long")
    try:
        message = Message.objects.select_related("thread__space").get(pk=int(message_id))
    except (Message.DoesNotExist, ValueError, TypeError):
        raise UnknownMessage() from None
    check_perm(actor, "forum.report_message", message)
    with transaction.atomic():
        report, _created = Report.objects.get_or_create(
            message=message, reporter=actor, status=ReportStatus.OPEN, defaults={"reason": reason}
        )
        moderators = list(message.thread.space.moderators.filter(is_active=True))
        if moderators:
            notify(
                moderators,
                kind=Kind.MODERATION,
                title=lambda: _("Un message a été signalé dans « %(thread)s »") % {"thread": message.thread.title},
                url=lambda: reverse("forum:reports"),  # the queue: hide or dismiss from there
                body=reason,
                actor=actor,
            )
    return report


def do_resolve_report(*, actor, report_id, hide: bool) -> Report:
    report = Report.objects.select_related("message__thread__space").get(pk=report_id)
    check_perm(actor, "forum.moderate", report.message.thread)
    with transaction.atomic():
        if hide:
            # Hiding closes every open report of the message, this one included.
            do_set_hidden(actor=actor, message_id=report.message_id, hidden=True)
            report.refresh_from_db()
            if report.status == ReportStatus.OPEN:
                _set_report_status(report, actor=actor, status=ReportStatus.HIDDEN)
        else:
            _set_report_status(report, actor=actor, status=ReportStatus.DISMISSED)
    return report
