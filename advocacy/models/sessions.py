"""Forum sessions: the sitting, its agenda, the roll call, and its procès-verbal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel

from advocacy.models.demands import Amendment, Demand
from tcri_site.members.models import Organisation


class ForumSessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    IN_PROGRESS = "in_progress", _("En cours")
    ENDED = "ended", _("Terminée")


class ForumSession(ClusterableModel):
    """A sitting of the forum TCRI-PASI, chaired by the project lead."""

    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    link = models.URLField(_("lien de visioconférence"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("présidence")
    )
    status = models.CharField(_("statut"), max_length=12, choices=ForumSessionStatus.choices, default=ForumSessionStatus.PLANNED)
    convocation_sent_at = models.DateTimeField(_("convocation envoyée le"), null=True, blank=True)
    quorum_override = models.PositiveIntegerField(
        _("quorum (nombre d'organismes)"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour la règle par défaut : la majorité des organismes PASI présents."),
    )
    language = models.CharField(
        _("langue de la séance"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="fr",
        help_text=_("La langue du procès-verbal en PDF."),
    )

    max_procurations_held = models.PositiveSmallIntegerField(
        _("procurations par organisme"),
        default=1,
        help_text=_("Nombre maximal de procurations qu'un organisme peut détenir pendant la séance."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("place"),
        FieldPanel("link"),
        FieldPanel("description"),
        FieldPanel("chair"),
        FieldPanel("quorum_override"),
        FieldPanel("language"),
        FieldPanel("max_procurations_held"),
        InlinePanel("agenda_items", heading=_("Ordre du jour"), label=_("Point")),
    ]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("séance du forum")
        verbose_name_plural = _("séances du forum")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:session", kwargs={"pk": self.pk})

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at >= timezone.now()


class AgendaKind(models.TextChoices):
    DEMAND = "demand", _("Revendication")
    AMENDMENT = "amendment", _("Amendement")
    UPDATE = "update", _("Suivi de l'implantation")
    OTHER = "other", _("Autre point")


class AgendaItem(models.Model):
    session = ParentalKey(ForumSession, on_delete=models.CASCADE, related_name="agenda_items")
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type de point"), max_length=10, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    title = models.CharField(_("intitulé"), max_length=255)
    demand = models.ForeignKey(Demand, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("revendication"))
    amendment = models.ForeignKey(Amendment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("amendement"))
    update = models.ForeignKey("advocacy.UpdatePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("mise à jour"))
    notes = models.TextField(_("notes"), blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("demand"),
        FieldPanel("amendment"),
        FieldPanel("update"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("points de l'ordre du jour")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Roll call: one row per organisation present (by its délégué·e or substitut·e)."""

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    # "on_site" / "online" (advocacy.models.rollcall.AttendanceMode); blank when not said.
    mode = models.CharField(_("présence"), max_length=10, blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["session", "organisation"], name="one_attendance_per_org_and_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.organisation}"



class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")


class Minutes(models.Model):
    """The procès-verbal of a session: drafted from the record, edited by the lead, published."""

    session = models.OneToOneField(ForumSession, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("procès-verbal"))
    status = models.CharField(_("statut"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: Published for everyone, signed in or not (the chair's choice when publishing); otherwise
    #: the published minutes, which name délégué·es and their choices, are for members.
    public = models.BooleanField(_("public"), default=False)

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")

    def __str__(self) -> str:
        return str(self.session)

    @property
    def is_published(self) -> bool:
        return self.status == MinutesStatus.PUBLISHED
