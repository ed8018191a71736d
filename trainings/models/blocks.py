"""The StreamField blocks of training material (callouts, case studies, FAQ, documents, videos)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock

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
