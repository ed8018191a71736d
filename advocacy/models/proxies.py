"""Procurations: an organisation gives its voice for one sitting to another organisation's
délégué·e, at its délégué·e's or substitut·e's request, once the chair confirms it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from advocacy.models.sessions import ForumSession
from tcri_site.members.models import Organisation


class ProcurationStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    CONFIRMED = "confirmed", _("Confirmée")
    REFUSED = "refused", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée")


ACTIVE_PROCURATION_STATES = (ProcurationStatus.REQUESTED, ProcurationStatus.CONFIRMED)


class Procuration(models.Model):
    """``giver`` votes through ``holder`` (a délégué·e of ``holder_organisation``) for ``session``.

    At most one requested or confirmed procuration per giving organisation and sitting is a
    database constraint; how many one organisation may hold is the sitting's setting.
    """

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="procurations", verbose_name=_("séance"))
    giver = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisme représenté"))
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("porteur·euse"))
    holder_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisme du porteur·euse")
    )
    status = models.CharField(_("statut"), max_length=12, choices=ProcurationStatus.choices, default=ProcurationStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["giver__name"]
        verbose_name = _("procuration")
        verbose_name_plural = _("procurations")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "giver"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="one_active_procuration_per_org_and_session",
            ),
            models.CheckConstraint(condition=~Q(giver=models.F("holder_organisation")), name="procuration_to_another_org"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder} ({self.session})"

    @property
    def is_confirmed(self) -> bool:
        return self.status == ProcurationStatus.CONFIRMED

    @property
    def is_requested(self) -> bool:
        return self.status == ProcurationStatus.REQUESTED
