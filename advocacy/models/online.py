"""Online votes between sittings: the reminders sent to organisations that have not voted
yet. One row per (motion, organisation, reminder time) is a database constraint, so two
workers running the schedule at once remind an organisation once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.models.votes import Motion
from tcri_site.members.models import Organisation

#: Hours before an online vote's close when organisations that have not voted are reminded.
REMINDER_HOURS = (48, 2)


class OnlineVoteReminder(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    hours_before = models.PositiveSmallIntegerField(_("heures avant la clôture"))
    #: The close it announced: a deadline extended by the chair has reminder times of its own.
    deadline = models.DateTimeField(_("clôture annoncée"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel de vote en ligne")
        verbose_name_plural = _("rappels de vote en ligne")
        constraints = [
            models.UniqueConstraint(
                fields=["motion", "organisation", "hours_before", "deadline"], name="one_reminder_per_org_and_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.motion} — {self.organisation} ({self.hours_before} h)"
