"""Training material as Wagtail pages: the index, a training, the migration-status glossary."""

from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from tcri_site.i18n import FallbackLocaleMixin, localized_pages
from tcri_site.members.models import Volet
from tcri_site.reference.models import MigrationStatus
from trainings.models.blocks import TRAINING_BLOCKS


class Level(models.TextChoices):
    INTRO = "intro", _("Introduction")
    INTERMEDIATE = "intermediate", _("Intermédiaire")
    ADVANCED = "advanced", _("Avancé")


class TrainingIndexPage(FallbackLocaleMixin, Page):
    """The list of training material; sessions have their own listing at ``trainings:index``."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["trainings.TrainingPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des formations")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The material lives under the French index; an English index lists the same
        # trainings, each in English where translated (two queries, not one per page).
        source = self.get_translation_or_none(Locale.get_default()) or self
        trainings = TrainingPage.objects.live().child_of(source)
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
            .select_related("locale")
            .prefetch_related("migration_statuses", "volets", "tags")
            .order_by("title")
        )
        page_obj = Paginator(trainings, 20).get_page(request.GET.get("page"))
        page_obj.object_list = localized_pages(
            page_obj.object_list, prefetch=("migration_statuses", "volets", "tags")
        )
        context["trainings"] = page_obj
        context["statuses"] = MigrationStatus.objects.all()
        context["selected_status"] = status
        return context


class TrainingPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "trainings.TrainingPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class TrainingPage(FallbackLocaleMixin, Page):
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
        from trainings.booking import upcoming_sessions_for

        context = super().get_context(request, *args, **kwargs)
        context.update(upcoming_sessions_for(self, request.user))
        return context


class GlossaryPage(FallbackLocaleMixin, Page):
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


def catalogue_url() -> str:
    """The training index in the reader's language (the French one, under /en/, if none)."""
    pages = TrainingIndexPage.objects.live().order_by("path")
    page = pages.filter(locale__language_code=translation.get_language() or "fr").first() or pages.first()
    return (page.url or "") if page else ""
