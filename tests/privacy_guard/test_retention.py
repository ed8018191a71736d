"""Retention periods at their boundaries: attachments, inactive accounts, notifications."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.core.management import call_command

from forum.models import Attachment, Message
from tcri_site.members.models import User
from tcri_site.notifications.models import Kind, Notification
from tcri_site.privacy_guard.models import InactivityNotice
from tcri_site.privacy_guard.purge import run_retention
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=ZoneInfo("America/Montreal"))
SECOND = timedelta(seconds=1)


def outcome(outcomes, key):
    return next(o for o in outcomes if o.key == key)


def attach(thread, author, created_at):
    message = Message.objects.create(thread=thread, author=author, body="pièce", body_html="<p>pièce</p>", created_at=created_at)
    attachment = Attachment(message=message, name="doc.pdf", size=4, content_type="application/pdf")
    attachment.file.save("doc.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    return attachment


def test_attachments_older_than_24_months_go_with_their_file(thread, member, settings):
    assert settings.RETENTION_ATTACHMENT_MONTHS == 24
    cutoff = NOW - relativedelta(months=24)
    old = attach(thread, member, cutoff - SECOND)
    kept = attach(thread, member, cutoff)
    storage, name = old.file.storage, old.file.name
    dry = outcome(run_retention(dry_run=True, now=NOW), "forum.attachments")
    assert dry.ids == [old.pk] and not dry.done
    assert Attachment.objects.filter(pk=old.pk).exists() and storage.exists(name)
    done = outcome(run_retention(now=NOW), "forum.attachments")
    assert done.ids == [old.pk] and done.done
    assert list(Attachment.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not storage.exists(name)
    assert Message.objects.filter(pk=old.message_id).exists()  # the message stays


def test_attachment_period_follows_the_setting(thread, member, settings):
    settings.RETENTION_ATTACHMENT_MONTHS = 6
    recent = attach(thread, member, NOW - relativedelta(months=6) - SECOND)
    assert outcome(run_retention(dry_run=True, now=NOW), "forum.attachments").ids == [recent.pk]


def test_notifications_older_than_12_months_are_destroyed(member):
    cutoff = NOW - relativedelta(months=12)
    old, kept = (Notification.objects.create(recipient=member, kind=Kind.REPLY, title=t) for t in ("a", "b"))
    Notification.objects.filter(pk=old.pk).update(created_at=cutoff - SECOND)
    Notification.objects.filter(pk=kept.pk).update(created_at=cutoff)
    assert outcome(run_retention(dry_run=True, now=NOW), "notifications").ids == [old.pk]
    assert Notification.objects.count() == 2
    run_retention(now=NOW)
    assert list(Notification.objects.values_list("pk", flat=True)) == [kept.pk]


def person(last_login, **kwargs):
    return UserFactory(last_login=last_login, date_joined=NOW - relativedelta(years=5), **kwargs)


def test_inactive_accounts_get_a_notice_then_are_deactivated_30_days_later(mailoutbox):
    cutoff = NOW - relativedelta(months=24)
    idle = person(cutoff - SECOND, language="en")
    recent = person(cutoff)
    UserFactory(is_superuser=True, last_login=cutoff - timedelta(days=400))
    assert outcome(run_retention(dry_run=True, now=NOW), "accounts.notice").ids == [idle.pk]
    assert not mailoutbox and not InactivityNotice.objects.exists()

    run_retention(now=NOW)
    assert [m.to for m in mailoutbox] == [[idle.email]]
    assert "will be deactivated" in mailoutbox[0].subject  # in the person's language
    assert InactivityNotice.objects.get().user == idle
    assert User.objects.get(pk=idle.pk).is_active and User.objects.get(pk=recent.pk).is_active

    # A second run within the notice period tells nobody twice and deactivates nobody yet
    # (``recent`` has aged past the cutoff by then: its own notice goes).
    outcomes = run_retention(now=NOW + timedelta(days=30) - SECOND)
    assert outcome(outcomes, "accounts.notice").ids == [recent.pk]
    assert outcome(outcomes, "accounts.deactivate").ids == []
    assert [m.to for m in mailoutbox].count([idle.email]) == 1

    outcomes = run_retention(now=NOW + timedelta(days=30))
    assert outcome(outcomes, "accounts.deactivate").ids == [idle.pk]  # recent: told 1 s ago
    assert not User.objects.get(pk=idle.pk).is_active
    assert InactivityNotice.objects.get(user=idle).deactivated_at == NOW + timedelta(days=30)
    assert User.objects.get(pk=recent.pk).is_active


def test_a_sign_in_after_the_notice_keeps_the_account(mailoutbox):
    idle = person(NOW - relativedelta(months=25))
    run_retention(now=NOW)
    User.objects.filter(pk=idle.pk).update(last_login=NOW + timedelta(days=3))
    outcomes = run_retention(now=NOW + timedelta(days=31))
    assert outcome(outcomes, "accounts.deactivate").ids == []
    assert outcome(outcomes, "accounts.notice").ids == []
    assert User.objects.get(pk=idle.pk).is_active
    # Idle again for 24 months after that sign-in: a new notice.
    later = NOW + timedelta(days=3) + relativedelta(months=24) + SECOND
    assert outcome(run_retention(dry_run=True, now=later), "accounts.notice").ids == [idle.pk]


def test_never_signed_in_counts_from_the_account_creation():
    fresh = UserFactory(last_login=None, date_joined=NOW - relativedelta(months=24))
    stale = UserFactory(last_login=None, date_joined=NOW - relativedelta(months=24) - SECOND)
    ids = outcome(run_retention(dry_run=True, now=NOW), "accounts.notice").ids
    assert stale.pk in ids and fresh.pk not in ids


def test_command_dry_run_lists_counts_and_ids(capsys, member):
    old = Notification.objects.create(recipient=member, kind=Kind.REPLY, title="a")
    Notification.objects.filter(pk=old.pk).update(created_at=NOW - relativedelta(years=2))
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "notifications: 1 (would go)" in out and f"ids: {old.pk}" in out
    assert "forum.attachments: 0" in out and "accounts.notice" in out
    assert Notification.objects.filter(pk=old.pk).exists()
