"""Questions staff ask at registration to a session, and the answers kept with each registration.

Questions belong to one session (edited inline with it in the admin); an answer is one row per
registration and question. Choice answers keep the French wording of the chosen choices (the
source of the choices), shown in the reader's language when the wording still exists.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

CHOICE_SEPARATOR = "\n"


class QuestionKind(models.TextChoices):
    ACCESSIBILITY = "accessibility", _("Besoins d'accessibilité")
    INTERPRETATION = "interpretation", _("Interprétation (langue)")
    TEXT = "text", _("Texte libre")
    SINGLE = "single_choice", _("Choix unique")
    MULTIPLE = "multiple_choice", _("Choix multiples")


CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RegistrationQuestion(Orderable):
    """One question of a session's registration form."""

    session = ParentalKey(
        "trainings.TrainingSession", on_delete=models.CASCADE, related_name="questions", verbose_name=_("séance")
    )
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    label_fr = models.CharField(_("question (français)"), max_length=255)
    label_en = models.CharField(_("question (anglais)"), max_length=255)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    choices_fr = models.TextField(
        _("choix (français)"), blank=True, help_text=_("Un choix par ligne, pour les questions à choix.")
    )
    choices_en = models.TextField(
        _("choix (anglais)"), blank=True, help_text=_("Les mêmes choix, dans le même ordre, en anglais.")
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldRowPanel([FieldPanel("label_fr"), FieldPanel("label_en")]),
        FieldRowPanel([FieldPanel("choices_fr"), FieldPanel("choices_en")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question d'inscription")
        verbose_name_plural = _("questions d'inscription")

    def __str__(self) -> str:
        return self.label

    def clean(self):
        errors = {}
        french, english = _lines(self.choices_fr), _lines(self.choices_en)
        if self.kind in CHOICE_KINDS:
            if len(french) < 2:
                errors["choices_fr"] = _("Une question à choix a besoin d'au moins deux choix, un par ligne.")
            elif len(english) != len(french):
                errors["choices_en"] = _("Donnez autant de choix en anglais qu'en français, dans le même ordre.")
            elif len(set(french)) != len(french):
                errors["choices_fr"] = _("Chaque choix doit être différent.")
        elif french or english:
            errors["choices_fr"] = _("Seules les questions à choix ont des choix.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def label(self) -> str:
        if translation.get_language() == "en" and self.label_en:
            return self.label_en
        return self.label_fr

    def choice_pairs(self) -> list[tuple[str, str]]:
        """(stored value, label in the reader's language) for each choice."""
        french, english = _lines(self.choices_fr), _lines(self.choices_en)
        if translation.get_language() == "en" and len(english) == len(french):
            return list(zip(french, english, strict=True))
        return [(value, value) for value in french]

    def display(self, stored: str) -> str:
        """An answer as the reader reads it: choices translated where their wording still exists."""
        if not self.is_choice:
            return stored
        labels = dict(self.choice_pairs())
        return ", ".join(labels.get(value, value) for value in stored.split(CHOICE_SEPARATOR) if value)


class RegistrationAnswer(models.Model):
    """A person's answer to one question, kept with their registration."""

    registration = models.ForeignKey(
        "trainings.Registration", on_delete=models.CASCADE, related_name="answers", verbose_name=_("inscription")
    )
    question = models.ForeignKey(
        RegistrationQuestion, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    value = models.TextField(_("réponse"), blank=True)

    class Meta:
        verbose_name = _("réponse à une question d'inscription")
        verbose_name_plural = _("réponses aux questions d'inscription")
        constraints = [
            models.UniqueConstraint(fields=["registration", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"

    @property
    def display(self) -> str:
        return self.question.display(self.value)
