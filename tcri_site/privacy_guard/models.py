"""The register of confidentiality incidents, the log of redactions, the inactivity notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Ouvert")
    CONTAINED = "contained", _("Maîtrisé")
    CLOSED = "closed", _("Clos")


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Pas encore évalué")
    LOW = "low", _("Pas de risque de préjudice sérieux")
    SERIOUS = "serious", _("Risque de préjudice sérieux")


class ConfidentialityIncident(models.Model):
    """One entry of the register Law 25 requires (art. 3.8): kept, even once closed."""

    occurred_on = models.DateField(_("date de l'incident"), null=True, blank=True)
    known_on = models.DateField(_("date où l'incident a été connu"))
    nature = models.TextField(_("nature de l'incident"), help_text=_("Accès, utilisation, communication non autorisés, perte…"))
    information_concerned = models.TextField(
        _("renseignements personnels visés"), help_text=_("Ou, s'ils ne sont pas connus, pourquoi.")
    )
    people_count = models.PositiveIntegerField(_("nombre de personnes concernées"), null=True, blank=True)
    people_description = models.TextField(_("personnes concernées"), blank=True)
    risk = models.CharField(_("risque de préjudice sérieux"), max_length=20, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED)
    risk_assessment = models.TextField(
        _("évaluation du risque"), blank=True,
        help_text=_("Sensibilité des renseignements, conséquences appréhendées, probabilité d'utilisation à mauvais escient."),
    )
    measures = models.TextField(_("mesures prises"), blank=True, help_text=_("Pour diminuer le risque et éviter qu'il se reproduise."))
    cai_notified_on = models.DateField(_("avis à la Commission d'accès à l'information le"), null=True, blank=True)
    people_notified_on = models.DateField(_("avis aux personnes concernées le"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.OPEN)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("inscrit par"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("incident de confidentialité")
        verbose_name_plural = _("registre des incidents de confidentialité")
        ordering = ["-known_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.known_on:%Y-%m-%d} — {self.nature[:60]}"


class Redaction(models.Model):
    """Who redacted which posted text, and when; never what it said."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    object_label = models.CharField(max_length=60)  # "forum.message"
    object_id = models.PositiveBigIntegerField()
    replaced = models.PositiveIntegerField(default=0)  # how many passages
    revisions_purged = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("retrait de renseignements")
        verbose_name_plural = _("retraits de renseignements")
        ordering = ["-at"]


class InactivityNotice(models.Model):
    """The notice e-mailed before an inactive account is deactivated."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inactivity_notice")
    sent_at = models.DateTimeField()
    deactivated_at = models.DateTimeField(null=True, blank=True)
