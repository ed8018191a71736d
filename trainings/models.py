"""Training material, sessions and registrations (``MigrationStatus`` lives in ``tcri_site.reference``)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from tcri_site.members.models import Volet
from tcri_site.reference.models import MigrationStatus

# --- Training material (Wagtail pages) -------------------------------------------------


RICH_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Information")), ("warning", _("Attention")), ("tip", _("Conseil"))],
        default="info",
        label=_("type"),
    )
    title = blocks.CharBlock(required=False, label=_("titre"))
    text = blocks.RichTextBlock(features=RICH_FEATURES, label=_("texte"))

    class Meta:
        icon = "warning"
        label = _("Encadré")
        template = "trainings/blocks/callout.html"


class CaseStudyBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"))
    situation = blocks.RichTextBlock(features=RICH_FEATURES, label=_("situation"))
    analysis = blocks.RichTextBlock(features=RICH_FEATURES, label=_("analyse"))

    class Meta:
        icon = "user"
        label = _("Étude de cas")
        template = "trainings/blocks/case_study.html"


class FaqBlock(blocks.StructBlock):
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("question", blocks.CharBlock(label=_("question"))),
                ("answer", blocks.RichTextBlock(features=RICH_FEATURES, label=_("réponse"))),
            ]
        ),
        label=_("questions"),
    )

    class Meta:
        icon = "help"
        label = _("Foire aux questions")
        template = "trainings/blocks/faq.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(required=False, label=_("description"))

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "trainings/blocks/document.html"


class VideoLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("titre"))
    url = blocks.URLBlock(label=_("adresse de la vidéo"))
    duration = blocks.CharBlock(required=False, label=_("durée"))

    class Meta:
        icon = "media"
        label = _("Lien vidéo")
        template = "trainings/blocks/video_link.html"


TRAINING_BLOCKS = [
    ("heading", blocks.CharBlock(form_classname="title", label=_("Intertitre"), template="trainings/blocks/heading.html")),
    ("paragraph", blocks.RichTextBlock(features=RICH_FEATURES, label=_("Paragraphe"))),
    ("callout", CalloutBlock()),
    ("case_study", CaseStudyBlock()),
    ("faq", FaqBlock()),
    ("document", DocumentBlock()),
    ("video", VideoLinkBlock()),
]


class Level(models.TextChoices):
    INTRO = "intro", _("Introduction")
    INTERMEDIATE = "intermediate", _("Intermédiaire")
    ADVANCED = "advanced", _("Avancé")


class TrainingIndexPage(Page):
    """The list of training material; sessions have their own listing at ``trainings:index``."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["trainings.TrainingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des formations")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        trainings = TrainingPage.objects.live().child_of(self)
        if not request.user.has_perm("trainings.view_private_material"):
            trainings = trainings.public()
        status = request.GET.get("statut", "")
        if status:
            trainings = trainings.filter(migration_statuses__slug=status)
        tag = request.GET.get("etiquette", "")
        if tag:
            trainings = trainings.filter(tags__slug=tag)
        trainings = (
            TrainingPage.objects.filter(pk__in=trainings.values("pk"))
            .prefetch_related("migration_statuses", "volets", "tags")
            .order_by("title")
        )
        context["trainings"] = Paginator(trainings, 20).get_page(request.GET.get("page"))
        context["statuses"] = MigrationStatus.objects.all()
        context["selected_status"] = status
        return context


class TrainingPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "trainings.TrainingPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class TrainingPage(Page):
    """A training: its material, and the sessions where it is given."""

    summary = models.TextField(_("résumé"), max_length=600)
    body = StreamField(TRAINING_BLOCKS, blank=True, verbose_name=_("contenu"))
    audience = models.CharField(
        _("public visé"), max_length=255, blank=True, help_text=_("Par exemple : intervenant·es en accueil")
    )
    level = models.CharField(_("niveau"), max_length=20, choices=Level.choices, default=Level.INTRO)
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), default=120)
    volets = ParentalManyToManyField(
        Volet, blank=True, related_name="trainings", verbose_name=_("volets PASI")
    )
    migration_statuses = ParentalManyToManyField(
        MigrationStatus, blank=True, related_name="trainings", verbose_name=_("statuts migratoires traités")
    )
    tags = ClusterTaggableManager(through=TrainingPageTag, blank=True, verbose_name=_("étiquettes"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("audience"),
                FieldPanel("level"),
                FieldPanel("duration_minutes"),
                FieldPanel("volets", widget=forms.CheckboxSelectMultiple),
                FieldPanel("migration_statuses", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Public et thèmes"),
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.SearchField("audience"),
        index.RelatedFields("migration_statuses", [index.SearchField("name_fr"), index.SearchField("abbreviation")]),
        index.FilterField("level"),
    ]
    parent_page_types = ["trainings.TrainingIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")

    @property
    def duration_display(self) -> str:
        hours, minutes = divmod(self.duration_minutes, 60)
        if hours and minutes:
            return f"{hours} h {minutes:02d}"
        if hours:
            return f"{hours} h"
        return f"{minutes} min"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["upcoming_sessions"] = (
            self.sessions.filter(starts_at__gte=timezone.now())
            .exclude(status=SessionStatus.CANCELLED)
            .order_by("starts_at")[:10]
        )
        return context


class GlossaryPage(Page):
    """The public glossary of migration statuses (the ``MigrationStatus`` snippets)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("glossaire des statuts migratoires")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["statuses"] = MigrationStatus.objects.prefetch_related("volets", "related")
        return context


def glossary_url(status: MigrationStatus | None = None) -> str:
    page = GlossaryPage.objects.live().filter(locale__language_code=translation.get_language() or "fr").first()
    page = page or GlossaryPage.objects.live().first()
    if page is None:
        return ""
    url = page.url or ""
    return f"{url}#{status.slug}" if status else url


# --- Sessions and registrations ----------------------------------------------------------


class SessionFormat(models.TextChoices):
    ONLINE = "online", _("En ligne")
    IN_PERSON = "in_person", _("Présentiel")
    HYBRID = "hybrid", _("Hybride")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")
    HELD = "held", _("Tenue")


class TrainingSession(models.Model):
    """One date on which a training is given. Its row is the lock for its seats."""

    training = models.ForeignKey(
        TrainingPage, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("formation")
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    format = models.CharField(
        _("format"), max_length=12, choices=SessionFormat.choices, default=SessionFormat.ONLINE
    )
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    online_link = models.URLField(
        _("lien de la rencontre en ligne"), blank=True, help_text=_("Montré seulement aux personnes inscrites.")
    )
    capacity = models.PositiveIntegerField(_("nombre de places"), default=20)
    registration_deadline = models.DateTimeField(_("date limite d'inscription"))
    trainer = models.CharField(_("formateur·rice"), max_length=200, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    notes = models.TextField(_("informations pratiques"), blank=True)
    announced_at = models.DateTimeField(_("annoncée le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("training"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("registration_deadline"),
        FieldPanel("format"),
        FieldPanel("place"),
        FieldPanel("online_link"),
        FieldPanel("capacity"),
        FieldPanel("trainer"),
        FieldPanel("status"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("séance de formation")
        verbose_name_plural = _("séances de formation")
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.training.title} — {date_format(local, 'DATETIME_FORMAT')}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("La fin doit suivre le début.")
        if self.starts_at and self.registration_deadline and self.registration_deadline > self.starts_at:
            errors["registration_deadline"] = _("La date limite doit précéder le début de la séance.")
        if self.format in (SessionFormat.ONLINE, SessionFormat.HYBRID) and not self.online_link:
            errors["online_link"] = _("Une séance en ligne ou hybride a besoin d'un lien.")
        if self.format in (SessionFormat.IN_PERSON, SessionFormat.HYBRID) and not self.place:
            errors["place"] = _("Une séance en présentiel ou hybride a besoin d'un lieu.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("trainings:session", kwargs={"pk": self.pk})

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def seats_left(self) -> int:
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)

    @property
    def registration_open(self) -> bool:
        return self.status == SessionStatus.PLANNED and timezone.now() <= self.registration_deadline


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITLISTED = "waitlisted", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=RegistrationStatus.CANCELLED)

    def confirmed(self):
        return self.filter(status=RegistrationStatus.CONFIRMED)

    def waiting(self):
        return self.filter(status=RegistrationStatus.WAITLISTED).order_by("queued_at", "pk")


class Registration(models.Model):
    """A person's place in a session (confirmed or waiting), and whether they came."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("séance")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="training_registrations",
        verbose_name=_("personne"),
    )
    organisation = models.ForeignKey(
        "members.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="training_registrations",
        verbose_name=_("organisme"),
        help_text=_("L'organisme de la personne au moment de l'inscription (pour les rapports)."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inscrite par"),
    )
    status = models.CharField(
        _("statut"), max_length=12, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    queued_at = models.DateTimeField(_("inscrite le"), default=timezone.now)
    promoted_at = models.DateTimeField(_("retirée de la liste d'attente le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True)
    attended = models.BooleanField(_("présente"), null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                name="one_registration_per_person_per_session",
                violation_error_message=_("Cette personne est déjà inscrite à cette séance."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status", "queued_at"]),
            models.Index(fields=["user", "status"]),
            models.Index(fields=["status", "reminder_sent_at"], condition=Q(reminder_sent_at__isnull=True), name="registration_reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.CANCELLED


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
