"""Sessions of a training and the registrations to them (seats, waiting list, attendance).

The status fields here change only through ``trainings.services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel

from tcri_site.members.models import Region


class SessionFormat(models.TextChoices):
    ONLINE = "online", _("En ligne")
    IN_PERSON = "in_person", _("Présentiel")
    HYBRID = "hybrid", _("Hybride")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")
    HELD = "held", _("Tenue")


class TrainingSession(ClusterableModel):
    """One date on which a training is given. Its row is the lock for its seats.

    Clusterable so that its registration questions are edited inline with it in the admin.
    """

    training = models.ForeignKey(
        "trainings.TrainingPage", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("formation")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    format = models.CharField(
        _("format"), max_length=12, choices=SessionFormat.choices, default=SessionFormat.ONLINE
    )
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    region = models.CharField(
        _("région"), max_length=2, choices=Region.choices, blank=True,
        help_text=_("La région administrative du lieu, pour une séance en présentiel ou hybride."),
    )
    online_link = models.URLField(
        _("lien de la rencontre en ligne"), blank=True, help_text=_("Montré seulement aux personnes inscrites.")
    )
    capacity = models.PositiveIntegerField(_("nombre de places"), default=20)
    registration_deadline = models.DateTimeField(_("date limite d'inscription"))
    trainer = models.CharField(_("formateur·rice"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    notes = models.TextField(_("informations pratiques"), blank=True)
    announced_at = models.DateTimeField(_("annoncée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    checkin_code = models.CharField(
        _("code de présence"), max_length=8, unique=True, null=True, blank=True, editable=False,
        help_text=_("Le code que les personnes inscrites saisissent pendant la séance pour noter leur présence."),
    )

    panels = [
        FieldPanel("training"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("registration_deadline"),
        FieldPanel("format"),
        FieldPanel("place"),
        FieldPanel("region"),
        FieldPanel("online_link"),
        FieldPanel("capacity"),
        FieldPanel("trainer"),
        FieldPanel("status"),
        FieldPanel("notes"),
        InlinePanel(
            "questions", label=_("Questions d'inscription"),
            help_text=_("Posées à l'inscription (liste d'attente comprise). Retirer une question retire ses réponses."),
        ),
    ]

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("séance de formation")
        verbose_name_plural = _("séances de formation")
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.training.title} — {date_format(local, 'DATETIME_FORMAT')}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("La fin doit suivre le début.")
        if self.starts_at and self.registration_deadline and self.registration_deadline > self.starts_at:
            errors["registration_deadline"] = _("La date limite doit précéder le début de la séance.")
        if self.format in (SessionFormat.ONLINE, SessionFormat.HYBRID) and not self.online_link:
            errors["online_link"] = _("Une séance en ligne ou hybride a besoin d'un lien.")
        if self.format in (SessionFormat.IN_PERSON, SessionFormat.HYBRID) and not self.place:
            errors["place"] = _("Une séance en présentiel ou hybride a besoin d'un lieu.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("trainings:session", kwargs={"pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def seats_left(self) -> int:
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)

    @property
    def is_planned(self) -> bool:
        return self.status == SessionStatus.PLANNED

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def registration_open(self) -> bool:
        return self.status == SessionStatus.PLANNED and timezone.now() <= self.registration_deadline


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "pk")


class Registration(models.Model):
    """A person's place in a session (confirmed or waiting), and whether they came."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("séance")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("personne"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
        verbose_name=_("organisme"),
        help_text=_("L'organisme de la personne au moment de l'inscription (pour les rapports)."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inscrite par"),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    queued_at = models.DateTimeField(_("inscrite le"), default=timezone.now)
    promoted_at = models.DateTimeField(_("retirée de la liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    attended = models.BooleanField(_("présente"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(_("présence notée par la personne le"), null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                name="one_registration_per_person_per_session",
                violation_error_message=_("Cette personne est déjà inscrite à cette séance."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["status", "reminder_sent_at"], condition=Q(reminder_sent_at__isnull=True), name="registration_reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED

    @property
    def is_confirmed(self) -> bool:
        return self.status == RegistrationStatus.CONFIRMED

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RegistrationStatus.WAITLISTED
