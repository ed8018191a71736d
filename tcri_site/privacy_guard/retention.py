"""Inactive accounts: a notice e-mailed after the configured months without a sign-in, then
deactivation once the notice period has passed without one (settings.RETENTION_*)."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tcri_site.members.models import User
from tcri_site.privacy_guard.models import InactivityNotice
from tcri_site.privacy_guard.purge import RetentionJob


def inactive_cutoff(now: datetime) -> datetime:
    return now - relativedelta(months=settings.RETENTION_INACTIVE_ACCOUNT_MONTHS)


def to_notify(now: datetime) -> QuerySet:
    """Active accounts not signed in (nor created) since the cutoff, not yet told, or told
    before a sign-in that has since grown old too."""
    return (
        User.objects.filter(is_active=True, is_superuser=False)
        .annotate(seen=Coalesce("last_login", "date_joined"))
        .filter(seen__lt=inactive_cutoff(now))
        .filter(Q(inactivity_notice__isnull=True) | Q(inactivity_notice__sent_at__lt=F("seen")))
    )


def notify_inactive(queryset: QuerySet, now: datetime) -> None:
    deadline = now + timedelta(days=settings.RETENTION_DEACTIVATION_NOTICE_DAYS)
    for user in queryset:
        InactivityNotice.objects.update_or_create(user=user, defaults={"sent_at": now, "deactivated_at": None})
        with translation.override(user.language or "fr"):
            send_mail(
                gettext("Votre compte de l'espace TCRI-PASI sera désactivé"),
                gettext(
                    "Bonjour,\n\nVous ne vous êtes pas connecté·e à l'espace TCRI-PASI depuis %(months)d mois. "
                    "Comme le prévoit notre politique de conservation des renseignements personnels, votre "
                    "compte sera désactivé le %(date)s si vous ne vous connectez pas d'ici là.\n\n"
                    "Pour le garder, il suffit de vous connecter : %(url)s\n"
                )
                % {
                    "months": settings.RETENTION_INACTIVE_ACCOUNT_MONTHS,
                    "date": date_format(deadline, "DATE_FORMAT"),
                    "url": settings.SITE_URL.rstrip("/") + "/comptes/connexion/",
                },
                None,
                [user.email],
            )


def to_deactivate(now: datetime) -> QuerySet:
    """Told at least the notice period ago, and not signed in since."""
    told_before = now - timedelta(days=settings.RETENTION_DEACTIVATION_NOTICE_DAYS)
    return User.objects.filter(
        is_active=True,
        is_superuser=False,
        inactivity_notice__sent_at__lte=told_before,
        inactivity_notice__deactivated_at__isnull=True,
    ).filter(Q(last_login__isnull=True) | Q(last_login__lt=F("inactivity_notice__sent_at")))


def deactivate(queryset: QuerySet, now: datetime) -> None:
    for user in queryset:
        user.is_active = False
        user.save(update_fields=["is_active"])  # through the model: access signals see it
        InactivityNotice.objects.filter(user=user).update(deactivated_at=now)


def jobs() -> list[RetentionJob]:
    return [
        RetentionJob("accounts.notice", _("Comptes inactifs : avis de désactivation"), to_notify, notify_inactive),
        RetentionJob("accounts.deactivate", _("Comptes inactifs : désactivation après l'avis"), to_deactivate, deactivate),
    ]
