"""ScheduledRun: the claim of one periodic job for one period, inserted before it runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    # The unique pair is the whole guarantee: however many workers tick, one insert wins.
    job = models.CharField(_("tâche"), max_length=100)
    period_key = models.CharField(_("période"), max_length=64)
    created_at = models.DateTimeField(_("prévue le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    result = models.TextField(_("résultat"), blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("exécution planifiée")
        verbose_name_plural = _("exécutions planifiées")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["job", "period_key"], name="background_run_once_per_period")]

    def __str__(self) -> str:
        return f"{self.job} {self.period_key}"
