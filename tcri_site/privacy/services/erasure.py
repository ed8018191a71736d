"""Erasure by anonymisation: the person disappears, the organisation's records stay.

Name, e-mail (replaced by a unique address under the non-routable ``.invalid`` domain),
profile fields and password go; sessions end; each app's ``personal_data.erase`` then
removes or keeps what it holds (ballots, roll call and co-signatures stay with the
organisation; messages are kept under "Ancien·ne membre" unless the person asked that they
be removed). The log keeps only the account number, the time, who decided and why.
"""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from tcri_site.members.models import ANONYMISED_EMAIL_DOMAIN, NotificationPreference, User
from tcri_site.privacy.errors import AlreadyErased, EmailMismatch
from tcri_site.privacy.models import ErasureLog, ErasureReason
from tcri_site.privacy.registry import contributors


def check_may_erase(*, person: User, confirm_email: str | None = None) -> None:
    """Refuse a second erasure, and a person's own request whose retyped e-mail differs."""
    if person.is_anonymised or ErasureLog.objects.filter(user_id_erased=person.pk).exists():
        raise AlreadyErased
    if confirm_email is not None and confirm_email.strip().lower() != person.email.lower():
        raise EmailMismatch


def _end_sessions(person: User) -> None:
    stale = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(person.pk):
            stale.append(session.pk)
    Session.objects.filter(pk__in=stale).delete()


def do_erase_person(*, actor: User, person: User, remove_messages: bool = False, confirm_email: str | None = None) -> ErasureLog:
    with transaction.atomic():
        person = User.objects.select_for_update().get(pk=person.pk)
        check_may_erase(person=person, confirm_email=confirm_email)
        reason = ErasureReason.REQUEST if actor.pk == person.pk else ErasureReason.STAFF
        old_email = person.email
        person.first_name = ""
        person.last_name = ""
        person.email = f"ancien-membre-{person.pk}@{ANONYMISED_EMAIL_DOMAIN}"
        person.notification_preference = NotificationPreference.IN_APP
        person.is_active = False
        person.is_staff = False
        person.is_superuser = False
        person.set_unusable_password()
        person.save()
        person.groups.clear()
        person.user_permissions.clear()
        person.erased_email = old_email  # for the apps' erasers (e.g. login attempt records)
        for module in contributors():
            eraser = getattr(module, "erase", None)
            if eraser is not None:
                eraser(person, remove_messages=remove_messages)
        _end_sessions(person)
        return ErasureLog.objects.create(
            user_id_erased=person.pk,
            erased_by=None if reason == ErasureReason.REQUEST else actor,
            reason=reason,
            messages_removed=remove_messages,
        )
