"""A person's private calendar feed of the sessions they are registered to."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """The secret token of a person's private ICS feed. Regenerating it revokes the old URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_calendar"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendrier personnel")

    def get_absolute_url(self) -> str:
        return reverse("trainings:feed", kwargs={"token": self.token})
