"""The page tree: the French home page, its English translation (wagtail-localize), an about page."""

from wagtail.models import Locale, Page, Site

from tcri_site.home.models import ContentPage, HomePage
from tcri_site.seeding import SeedContext
from tcri_site.translations import has_translation, translate_page

INTRO_FR = (
    "<p>L'espace de travail partagé des organismes membres de la TCRI financés par le "
    "Programme d'accompagnement et de soutien à l'intégration (PASI) : formations sur les "
    "statuts migratoires, espaces d'échange entre intervenant·es et Forum TCRI-PASI, où les "
    "organismes adoptent leurs revendications collectives.</p>"
)
INTRO_EN = (
    "<p>The shared workspace of TCRI member organisations funded by the Programme "
    "d'accompagnement et de soutien à l'intégration (PASI): trainings on migration statuses, "
    "exchange spaces for front-line workers, and the TCRI-PASI forum, where organisations "
    "adopt their collective demands.</p>"
)


def seed(ctx: SeedContext) -> None:
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    en, _ = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=fr).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Espace TCRI-PASI", slug="accueil", locale=fr))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    if not home.intro:
        home.intro = INTRO_FR
        home.save_revision().publish()
    if not has_translation(home, en):
        # Through wagtail-localize, as a translator would: the translation then shows as out
        # of date when the French page changes (tcri_site/translations.py).
        translate_page(home, en, {
            "title": "TCRI-PASI Workspace",
            "intro": INTRO_EN,
            "volets_heading": "The five PASI components",
        })
    if not ContentPage.objects.filter(slug="a-propos", locale=fr).exists():
        about = home.add_child(
            instance=ContentPage(
                title="À propos de l'espace",
                slug="a-propos",
                locale=fr,
                body=[
                    ("heading", "Pour qui"),
                    ("paragraph", "<p>Pour le personnel des organismes membres, les délégué·es au Forum TCRI-PASI et l'équipe de la TCRI.</p>"),
                ],
            )
        )
        about.save_revision().publish()
    ctx.say("Pages : accueil (fr, en), à propos")
