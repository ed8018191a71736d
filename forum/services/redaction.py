"""Redacting a posted message: what looks like a client identifier (or a passage a moderator
selects) becomes "[retiré]" in the message, in its edit history (purged) and in the
notifications that quoted it. Logged in privacy_guard's Redaction (who, when, which
message; never the text), announced live as ``message.edited``."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from forum.errors import InvalidForumInput
from forum.markdown import render_markdown
from forum.models import Message, MessageRevision
from forum.services.checks import check_perm
from forum.services.events import append_event
from forum.services.messages import locked_message
from tcri_site.notifications.models import Notification
from tcri_site.privacy_guard.detect import redact
from tcri_site.privacy_guard.models import Redaction

REDACTED = "[retiré]"


def _redacted(text: str, passage: str) -> tuple[str, int]:
    if passage:
        return text.replace(passage, REDACTED), text.count(passage)
    return redact(text, REDACTED)


def do_redact_message(*, actor, message_id, passage: str = "") -> Message:
    """Replace the identifiers found in the message (or every occurrence of ``passage``)."""
    passage = (passage or "").strip()
    with transaction.atomic():
        message, thread = locked_message(message_id)
        check_perm(actor, "forum.moderate", thread)
        body, replaced = _redacted(message.body, passage)
        if not replaced:
            raise InvalidForumInput(
                _("Ce passage ne figure pas dans le message.") if passage
                else _("Aucun identifiant n'a été trouvé dans ce message ; indiquez le passage à retirer."),
                code="nothing_to_redact",
            )
        old_body = message.body
        message.body = body
        message.body_html = render_markdown(body)
        message.save(update_fields=["body", "body_html"])
        purged, _detail = MessageRevision.objects.filter(message=message).delete()
        # Notifications of the reply or the mention quoted the start of the message.
        for notification in Notification.objects.filter(url=message.get_absolute_url()):
            if notification.body and (passage in notification.body if passage else notification.body in old_body):
                notification.body = _redacted(notification.body, passage)[0] if passage else body[:300]
                notification.save(update_fields=["body"])
        Redaction.objects.create(
            actor=actor, object_label="forum.message", object_id=message.pk, replaced=replaced, revisions_purged=purged
        )
        append_event(thread, "message.edited", message)
    return message
