"""Lists of speakers: one per agenda item (with its speaking-time limit) and its speeches,
each with its start and end, so speaking time per organisation can be totalled."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.models.sessions import AgendaItem
from tcri_site.members.models import Organisation

DEFAULT_SPEAKING_SECONDS = 180


class SpeakerList(models.Model):
    """The list of speakers of one agenda item; ``current_item`` marks the one being heard."""

    agenda_item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="speaker_list")
    limit_seconds = models.PositiveIntegerField(_("temps de parole (secondes)"), default=DEFAULT_SPEAKING_SECONDS)

    class Meta:
        verbose_name = _("liste des tours de parole")
        verbose_name_plural = _("listes des tours de parole")

    def __str__(self) -> str:
        return str(self.agenda_item)


class SpeechStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    SPEAKING = "speaking", _("À la parole")
    DONE = "done", _("Terminé")
    WITHDRAWN = "withdrawn", _("Main baissée")


class Speech(models.Model):
    """A raised hand, then a speech: ``started_at``/``ended_at`` are the countdown's bounds."""

    speaker_list = models.ForeignKey(SpeakerList, on_delete=models.CASCADE, related_name="speeches")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    point_of_order = models.BooleanField(_("point d'ordre"), default=False)
    position = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=SpeechStatus.choices, default=SpeechStatus.WAITING)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-point_of_order", "position", "pk"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            # One raised hand at a time per person and list (a point of order is a second one).
            models.UniqueConstraint(
                fields=["speaker_list", "person", "point_of_order"],
                condition=models.Q(status="waiting"),
                name="one_waiting_hand_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker_list} — {self.organisation}"
