"""PreparedDownload: one file someone asked for, from the request to its expiry."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tcri_site.private_files import private_storage


class DownloadStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En préparation")
    READY = "ready", _("Prêt")
    FAILED = "failed", _("Échec")


class PreparedDownload(models.Model):
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="prepared_downloads", verbose_name=_("demandé par"))
    kind = models.CharField(_("type"), max_length=100)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    title = models.CharField(_("titre"), max_length=255)
    status = models.CharField(_("état"), max_length=10, choices=DownloadStatus.choices, default=DownloadStatus.QUEUED)
    done = models.PositiveIntegerField(_("fait"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # Private storage: no public URL, served by tcri_site.exports.views.download_file only.
    file = models.FileField(_("fichier"), storage=private_storage, upload_to="downloads/%Y/%m/", blank=True)
    filename = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    content_type = models.CharField(_("type de contenu"), max_length=100, blank=True)
    error = models.TextField(_("erreur"), blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("téléchargement préparé")
        verbose_name_plural = _("téléchargements préparés")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("exports:status", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == DownloadStatus.READY:
            return 100
        return min(100, round(100 * self.done / self.total)) if self.total else 0

    @property
    def is_ready(self) -> bool:
        return self.status == DownloadStatus.READY and bool(self.file) and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
