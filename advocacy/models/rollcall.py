"""The roll call's opening and its audit trail (the presences themselves are
``advocacy.models.sessions.Attendance`` rows)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from advocacy.models.sessions import ForumSession
from tcri_site.members.models import Organisation


class AttendanceMode(models.TextChoices):
    ON_SITE = "on_site", _("Sur place")
    ONLINE = "online", _("En ligne")


class RollCall(models.Model):
    """Open while délégué·es and substitut·es may check their organisation in."""

    session = models.OneToOneField(ForumSession, on_delete=models.CASCADE, related_name="roll_call")
    is_open = models.BooleanField(default=False)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("appel des organismes")
        verbose_name_plural = _("appels des organismes")

    def __str__(self) -> str:
        return str(self.session)


class AttendanceChange(models.Model):
    """One row per change of an organisation's presence: who marked it, when, how."""

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="attendance_changes")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    present = models.BooleanField()
    mode = models.CharField(max_length=10, choices=AttendanceMode.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    by_chair = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("changement de présence")
        verbose_name_plural = _("changements de présence")

    def __str__(self) -> str:
        return f"{self.session} — {self.organisation}"
