"""OutboundEmail: one e-mail to one recipient, from the moment its cause commits to its
delivery (or its last failed attempt)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class OutboundEmail(models.Model):
    # What caused it and for whom ("convocation:12:2026-11-25T13:30:00:45"): a second
    # enqueue for the same cause and recipient finds this row instead of adding one.
    key = models.CharField(_("clé"), max_length=255, unique=True)
    to = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=998)
    body = models.TextField(_("texte"))
    html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("en-têtes"), default=dict, blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}], e.g. the ICS of a session.
    attachments = models.JSONField(_("pièces jointes"), default=list, blank=True)
    language = models.CharField(_("langue"), max_length=10, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("pris en charge le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel")
        verbose_name_plural = _("courriels")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_status_next_idx")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    def message(self, connection=None) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(
            self.subject, self.body, settings.DEFAULT_FROM_EMAIL, [self.to],
            headers=self.headers or None, connection=connection,
        )
        if self.html:
            message.attach_alternative(self.html, "text/html")
        for item in self.attachments:
            message.attach(item["filename"], base64.b64decode(item["content"]), item["mimetype"])
        return message


class BatchStatus(models.TextChoices):
    PENDING = "pending", _("À rédiger")
    DONE = "done", _("Rédigé")
    FAILED = "failed", _("Échec")


class MailBatch(models.Model):
    """E-mails still to be written for many people (a convocation to 150 délégué·es).

    Stored in the transaction of its cause; the worker then calls ``builder`` (the dotted
    path of a function taking ``arguments`` as keywords and returning ``Email`` objects),
    queues what it returns and marks the batch done in one transaction: a batch is written
    once, however many times its task runs, and one lost with its worker is swept again.
    """

    builder = models.CharField(_("rédacteur"), max_length=200)
    arguments = models.JSONField(_("arguments"), default=dict, blank=True)
    status = models.CharField(_("état"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    count = models.PositiveIntegerField(_("courriels"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    done_at = models.DateTimeField(_("rédigé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot de courriels")
        verbose_name_plural = _("lots de courriels")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="mail_batch_status_idx")]

    def __str__(self) -> str:
        return f"{self.builder} ({self.get_status_display()})"
