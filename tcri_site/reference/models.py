"""Reference vocabularies shared by trainings, demands and search: the migration statuses.

This is foundation: it imports nothing from the feature apps. What needs their pages (the
glossary page and its URL) stays in ``trainings``.
"""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from tcri_site.members.models import Volet


class MigrationStatus(index.Indexed, models.Model):
    """A migration status (statut migratoire) and what it gives access to.

    Bilingual fields rather than page translations: the glossary is reference data shared by
    trainings, demands and search, and both names are shown side by side.
    """

    name_fr = models.CharField(_("nom (français)"), max_length=200, unique=True)
    name_en = models.CharField(_("nom (anglais)"), max_length=200, blank=True)
    abbreviation = models.CharField(_("sigle"), max_length=30, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    description_fr = models.TextField(_("description (français)"), blank=True)
    description_en = models.TextField(_("description (anglais)"), blank=True)
    services_fr = models.TextField(_("services admissibles (français)"), blank=True)
    services_en = models.TextField(_("services admissibles (anglais)"), blank=True)
    volets = models.ManyToManyField(
        Volet, blank=True, related_name="migration_statuses", verbose_name=_("volets admissibles")
    )
    related = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name=_("statuts apparentés")
    )
    references = models.TextField(_("références"), blank=True)

    search_fields = [
        index.SearchField("name_fr", boost=3),
        index.SearchField("name_en", boost=2),
        index.SearchField("abbreviation", boost=3),
        index.SearchField("description_fr"),
        index.SearchField("description_en"),
        index.AutocompleteField("name_fr"),
    ]

    class Meta:
        ordering = ["name_fr"]
        verbose_name = _("statut migratoire")
        verbose_name_plural = _("statuts migratoires")

    def __str__(self) -> str:
        name = self.name
        return f"{name} ({self.abbreviation})" if self.abbreviation else name

    @property
    def name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_fr

    @property
    def description(self) -> str:
        if translation.get_language() == "en" and self.description_en:
            return self.description_en
        return self.description_fr

    @property
    def services(self) -> str:
        if translation.get_language() == "en" and self.services_en:
            return self.services_en
        return self.services_fr
