"""Priorities for the cahier: the forum ranks adopted demands to decide which go to the
ministry first. One ballot per organisation (a database constraint), changeable until the
close; the result is stored on the prioritisation when it closes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from advocacy.models.demands import CAHIER_STATES, Demand
from tcri_site.members.models import Organisation


class PrioritisationMethod(models.TextChoices):
    BORDA = "borda", _("Classement (méthode de Borda)")
    DOTS = "dots", _("Répartition de points")


class PrioritisationStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Fermée")


class Prioritisation(models.Model):
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("présentation"), blank=True)
    method = models.CharField(_("méthode"), max_length=10, choices=PrioritisationMethod.choices, default=PrioritisationMethod.BORDA)
    points = models.PositiveSmallIntegerField(
        _("points par organisme"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Pour la répartition de points seulement."),
    )
    demands = models.ManyToManyField(
        Demand,
        related_name="prioritisations",
        verbose_name=_("revendications à classer"),
        limit_choices_to={"state__in": CAHIER_STATES},
    )
    status = models.CharField(_("statut"), max_length=10, choices=PrioritisationStatus.choices, default=PrioritisationStatus.DRAFT)
    opened_at = models.DateTimeField(_("ouverte le"), null=True, blank=True)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    #: At close: ``[{"demand": id, "title": str, "score": int, "rank": int, "tied": bool}]``, best first.
    result = models.JSONField(_("résultat"), default=list, blank=True, editable=False)
    ballots_counted = models.PositiveIntegerField(_("bulletins comptés"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("method"),
        FieldPanel("points"),
        FieldPanel("demands"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("priorisation du cahier")
        verbose_name_plural = _("priorisations du cahier")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:prioritisation", kwargs={"pk": self.pk})

    @property
    def top_score(self) -> int:
        """The best score of the result (at least 1: the chart's bars are shares of it)."""
        return max((row["score"] for row in self.result), default=0) or 1

    @property
    def is_open(self) -> bool:
        return self.status == PrioritisationStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == PrioritisationStatus.CLOSED


class PriorityBallot(models.Model):
    """An organisation's ranking (Borda: ``{"ranking": [demand ids, best first]}``) or its
    points (``{"points": {"<demand id>": n}}``)."""

    prioritisation = models.ForeignKey(Prioritisation, on_delete=models.CASCADE, related_name="ballots")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisme"))
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    content = models.JSONField(default=dict)
    cast_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prioritisation", "organisation"], name="one_priority_ballot_per_organisation"),
        ]
        verbose_name = _("bulletin de priorisation")
