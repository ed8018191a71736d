"""In-app notifications. Every app announces events to people through ``services.notify``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tcri_site.members.models import NotificationPreference as Delivery


class Kind(models.TextChoices):
    MENTION = "mention", _("Mentions")
    REPLY = "reply", _("Réponses")
    TRAINING = "training", _("Nouvelles formations et séances")
    REGISTRATION = "registration", _("Inscriptions et liste d'attente")
    CONVOCATION = "convocation", _("Convocations et ordres du jour")
    VOTE = "vote", _("Ouverture des votes")
    DEMAND = "demand", _("Suivi des revendications")
    UPDATE = "update", _("Suivi de l'implantation")
    MODERATION = "moderation", _("Modération")
    FOLLOWED = "followed", _("Fils, espaces et revendications suivis")
    DOWNLOAD = "download", _("Fichiers prêts à télécharger")


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("destinataire"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titre"), max_length=255)
    body = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("lien"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur·rice"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("résumé"),
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class NotificationSetting(models.Model):
    """How one person wants to hear about one kind of notification.

    No row means "as in my general preference" (``User.notification_preference``).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        verbose_name=_("personne"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(_("réception"), max_length=12, choices=Delivery.choices)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_setting_per_user_and_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_kind_display()} · {self.get_delivery_display()}"


class Frequency(models.TextChoices):
    DAILY = Delivery.DAILY.value, _("quotidien")
    WEEKLY = Delivery.WEEKLY.value, _("hebdomadaire")


class Digest(models.Model):
    """One digest e-mail sent to one person: the record that makes ``send_digests`` idempotent.

    A notification belongs to at most one digest; claiming it (``digest`` set from NULL) and
    sending happen in one transaction, so a second run finds nothing left to send.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_digests",
        verbose_name=_("destinataire"),
    )
    frequency = models.CharField(_("fréquence"), max_length=10, choices=Frequency.choices)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True, db_index=True)
    count = models.PositiveIntegerField(_("nombre de notifications"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("résumé envoyé")
        verbose_name_plural = _("résumés envoyés")

    def __str__(self) -> str:
        return f"{self.recipient} · {self.get_frequency_display()} · {self.created_at:%Y-%m-%d}"


class FollowMode(models.TextChoices):
    FOLLOW = "follow", _("Suivi")
    MUTE = "mute", _("En sourdine")


class Follow(models.Model):
    """One person following or muting one thing (a thread, a space, a demand…).

    Generic, so the foundation knows nothing of the apps whose things are followed; each
    app checks who may follow what (its rules) and says whom to tell (tcri_site/notifications/following.py).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    mode = models.CharField(_("mode"), max_length=6, choices=FollowMode.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("suivi")
        verbose_name_plural = _("suivis")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="one_follow_per_thing")
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "mode"])]
