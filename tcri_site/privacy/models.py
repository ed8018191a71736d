"""The privacy policy page, each person's acceptances of it, and the erasure log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class PrivacyPolicyPage(Page):
    """The privacy policy. Publishing a higher ``version`` asks everyone to accept it again."""

    version = models.PositiveIntegerField(_("version"), default=1)
    published_on = models.DateField(_("publiée le"))
    body = RichTextField(_("politique (français)"))
    body_en = RichTextField(_("politique (anglais)"), blank=True)
    officer_title = models.CharField(_("titre de la personne responsable"), max_length=200)
    officer_name = models.CharField(_("nom de la personne responsable"), max_length=200)
    officer_email = models.EmailField(_("courriel de la personne responsable"))
    officer_phone = models.CharField(_("téléphone de la personne responsable"), max_length=40, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("version"),
        FieldPanel("published_on"),
        FieldPanel("body"),
        FieldPanel("body_en"),
        MultiFieldPanel(
            [FieldPanel("officer_title"), FieldPanel("officer_name"), FieldPanel("officer_email"), FieldPanel("officer_phone")],
            heading=_("Personne responsable de la protection des renseignements personnels"),
        ),
    ]
    subpage_types: list[str] = []
    template = "privacy/privacy_policy_page.html"

    class Meta:
        verbose_name = _("politique de confidentialité")

    def localized_body(self) -> str:
        if (get_language() or "fr").startswith("en") and self.body_en:
            return self.body_en
        return self.body


class PolicyAcceptance(models.Model):
    """A person accepted a version of the policy. Kept as a record even after erasure."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acceptances")
    version = models.PositiveIntegerField(_("version"))
    accepted_at = models.DateTimeField(_("acceptée le"), auto_now_add=True)
    language = models.CharField(_("langue"), max_length=5)

    class Meta:
        ordering = ["-accepted_at"]
        verbose_name = _("acceptation de la politique")
        verbose_name_plural = _("acceptations de la politique")
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="privacy_one_acceptance_per_version")]

    def __str__(self) -> str:
        return f"{self.user_id} v{self.version}"


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("Demande de la personne")
    STAFF = "staff", _("Décision du personnel")


class ErasureLog(models.Model):
    """That an account was anonymised: who (the account's number), when, by whom, why.
    No name or e-mail is kept here."""

    user_id_erased = models.BigIntegerField(_("numéro du compte"), unique=True)
    erased_at = models.DateTimeField(_("effacé le"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("par")
    )
    reason = models.CharField(_("motif"), max_length=10, choices=ErasureReason.choices)
    messages_removed = models.BooleanField(_("messages retirés"), default=False)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("effacement de compte")
        verbose_name_plural = _("effacements de comptes")

    def __str__(self) -> str:
        return f"#{self.user_id_erased}"
