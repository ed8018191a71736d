"""Implementation updates: Wagtail pages (an index and the updates under it), and the
subscriptions of people who want them by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from advocacy.models.demands import Demand
from tcri_site.i18n import FallbackLocaleMixin, localized_pages
from tcri_site.members.models import Volet


class UpdateSubscription(models.Model):
    """A person who wants the implementation updates by e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocacy_subscription")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement au suivi")
        verbose_name_plural = _("abonnements au suivi")


# --- Implementation updates (Wagtail pages) --------------------------------------------


def source_updates(index_page=None):
    """The live updates in the source language (French), newest first, under the French
    index of ``index_page`` if given: a translation is the same update, never a second one."""
    updates = UpdatePage.objects.live().filter(locale=Locale.get_default()).order_by("-date", "-pk")
    if index_page is not None:
        source = index_page.get_translation_or_none(Locale.get_default()) or index_page
        updates = updates.child_of(source)
    return updates


class UpdateIndexPage(FallbackLocaleMixin, Page):
    """« Suivi de l'implantation »: lists the update pages under it."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["advocacy.UpdatePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index du suivi de l'implantation")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        # The French index's updates, each in the reader's language where translated.
        page_obj = Paginator(source_updates(self).prefetch_related("volets"), 10).get_page(request.GET.get("page"))
        page_obj.object_list = localized_pages(page_obj.object_list, prefetch=("volets",))
        context["page_obj"] = page_obj
        return context


class UpdatePage(FallbackLocaleMixin, Page):
    """One implementation update, tagged by volet and linked to demands."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("résumé"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"))),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"), features=["bold", "italic", "link", "ol", "ul"])),
            ("quote", blocks.BlockQuoteBlock(label=_("Citation"))),
        ],
        blank=True,
        verbose_name=_("contenu"),
    )
    volets = ParentalManyToManyField(Volet, blank=True, related_name="updates", verbose_name=_("volets PASI"))
    demands = ParentalManyToManyField(Demand, blank=True, related_name="updates", verbose_name=_("revendications liées"))
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("volets"),
        FieldPanel("demands"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["advocacy.UpdateIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("mise à jour du suivi")
        verbose_name_plural = _("mises à jour du suivi")
