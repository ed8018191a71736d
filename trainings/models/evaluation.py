"""Evaluation after a training: the questions staff keep in Wagtail, the invitations (who
was asked, who has answered) and the answers, kept apart so no answer leads to a person.

Anonymity, as for secret ballots (``advocacy.models.elections``): ``EvaluationInvitation``
knows the registration (so the person and the session), when we wrote to them and whether
they answered, never when nor what. ``EvaluationAnswer`` knows the session, the question
and the value, under a random UUID key, with no date, no link to a person and none to the
other answers of the same form; each new answer swaps its value with a random earlier
answer to the same question of the same session (``trainings.services.evaluation``), so
the order of the rows says nothing of the order in which people answered. When the form
closes, a session's answers are written anew in random order under new keys (PostgreSQL
writes each new row version at the end of the table, so until then the latest answers sit
last on disk).
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

RATING_MIN, RATING_MAX = 1, 5


class EvaluationKind(models.TextChoices):
    RATING = "rating", _("Note de 1 à 5")
    YES_NO = "yes_no", _("Oui ou non")
    TEXT = "text", _("Texte libre")


class EvaluationQuestionQuerySet(models.QuerySet):
    def for_training(self, training_id: int):
        """The active questions asked after a session of this training, in their order."""
        return self.filter(active=True).filter(
            models.Q(training__isnull=True) | models.Q(training_id=training_id)
        ).order_by("sort_order", "pk")


class EvaluationQuestion(Orderable):
    """One question of the evaluation form; staff order them by dragging in the admin."""

    label_fr = models.CharField(_("question (français)"), max_length=255)
    label_en = models.CharField(
        _("question (anglais)"), max_length=255, blank=True,
        help_text=_("Laissée vide, la question en français est montrée aussi en anglais."),
    )
    kind = models.CharField(_("type de réponse"), max_length=10, choices=EvaluationKind.choices, default=EvaluationKind.RATING)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    training = models.ForeignKey(
        "trainings.TrainingPage", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("formation"),
        help_text=_("Laissez vide pour poser la question après toutes les formations."),
    )
    active = models.BooleanField(
        _("posée"), default=True,
        help_text=_("Décochez pour ne plus poser la question ; ses réponses restent dans les rapports."),
    )

    objects = EvaluationQuestionQuerySet.as_manager()

    panels = [
        FieldPanel("label_fr"),
        FieldPanel("label_en"),
        FieldPanel("kind"),
        FieldPanel("required"),
        FieldPanel("training"),
        FieldPanel("active"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "pk"]
        verbose_name = _("question d'évaluation")
        verbose_name_plural = _("questions d'évaluation")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.label_en:
            return self.label_en
        return self.label_fr


class EvaluationInvitation(models.Model):
    """That an attendee was asked for their evaluation and whether they answered: this row
    allows one answer per attendee and stops the reminder. It holds no time of answering."""

    registration = models.OneToOneField(
        "trainings.Registration", on_delete=models.CASCADE, related_name="evaluation_invitation",
        verbose_name=_("inscription"),
    )
    invited_at = models.DateTimeField(_("invitée le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    answered = models.BooleanField(_("a répondu"), default=False)

    class Meta:
        verbose_name = _("invitation à l'évaluation")
        verbose_name_plural = _("invitations à l'évaluation")

    def __str__(self) -> str:
        return str(self.registration)


class EvaluationAnswer(models.Model):
    """One answer to one question, for a session; nothing in it names who gave it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "trainings.TrainingSession", on_delete=models.CASCADE, related_name="+", verbose_name=_("séance")
    )
    question = models.ForeignKey(
        EvaluationQuestion, on_delete=models.RESTRICT, related_name="+", verbose_name=_("question")
    )
    rating = models.PositiveSmallIntegerField(
        _("note"), null=True, blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    agreed = models.BooleanField(_("oui"), null=True, blank=True)
    text = models.TextField(_("réponse"), blank=True)

    class Meta:
        verbose_name = _("réponse à l'évaluation")
        verbose_name_plural = _("réponses à l'évaluation")
        indexes = [models.Index(fields=["session", "question"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="evaluation_rating_in_range",
            ),
        ]
