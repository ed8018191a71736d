from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from tcri_site.i18n import FallbackLocaleMixin
from tcri_site.members.models import Volet
from tcri_site.sections import home_sections

# (label, URL name, description) of the four doors of the workspace. URL names, not
# imports: the home page knows the apps' addresses, never their code.
ENTRY_POINTS = [
    (_("Formations"), "trainings:index", _("Séances sur les statuts migratoires, inscriptions et attestations.")),
    (_("Espaces d'échange"), "forum:index", _("Discussions entre intervenant·es des organismes membres.")),
    (_("Forum TCRI-PASI"), "advocacy:index", _("Revendications collectives, séances et votes des organismes.")),
    (_("Suivi de l'implantation"), "advocacy:updates", _("Nouvelles de la mise en œuvre du PASI.")),
]


class HomePage(FallbackLocaleMixin, Page):
    """The workspace's front door."""

    intro = RichTextField(
        _("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    volets_heading = models.CharField(
        _("titre de la section des volets"), max_length=200, default="Les cinq volets du PASI"
    )
    volets_intro = RichTextField(_("présentation des volets"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("volets_heading"),
        FieldPanel("volets_intro"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["entry_points"] = [
            {"label": label, "url": reverse(url_name), "description": description}
            for label, url_name, description in ENTRY_POINTS
        ]
        context["volets"] = Volet.objects.all()
        context["sections"] = home_sections(request)
        return context


class ContentPage(FallbackLocaleMixin, Page):
    """A plain page of text (about, help, accessibility statement)."""

    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", label=_("Intertitre"))),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"))),
        ],
        blank=True,
        verbose_name=_("contenu"),
    )
    content_panels = Page.content_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    class Meta:
        verbose_name = _("page de contenu")
