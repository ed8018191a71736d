"""The wall screen of a sitting: what the chair projects (one row per session)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.models.sessions import AgendaItem, ForumSession
from advocacy.models.votes import Motion


class ProjectionKind(models.TextChoices):
    NOTHING = "nothing", _("Rien (écran d'accueil)")
    ITEM = "item", _("Point de l'ordre du jour")
    MOTION = "motion", _("Proposition et vote")
    SPEAKERS = "speakers", _("Liste des tours de parole")


class Projection(models.Model):
    """What every projector of the session shows; changed only by ``services.projector``."""

    session = models.OneToOneField(ForumSession, on_delete=models.CASCADE, related_name="projection")
    kind = models.CharField(_("projection"), max_length=10, choices=ProjectionKind.choices, default=ProjectionKind.NOTHING)
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    motion = models.ForeignKey(Motion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("projection")
        verbose_name_plural = _("projections")

    def __str__(self) -> str:
        return f"{self.session} — {self.get_kind_display()}"
