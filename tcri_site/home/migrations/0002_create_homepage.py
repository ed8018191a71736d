from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("home.HomePage")

    # Wagtail's initial data has a placeholder page at depth 2: replace it.
    Page.objects.filter(depth=2, content_type__model="page", url_path="/home/").delete()
    if HomePage.objects.exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    home = HomePage.objects.create(
        title="Espace TCRI-PASI",
        draft_title="Espace TCRI-PASI",
        slug="accueil",
        content_type=content_type,
        path="00010002",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        live=True,
        intro=(
            "<p>L'espace de travail partagé des organismes membres de la TCRI financés par le "
            "Programme d'accompagnement et de soutien à l'intégration (PASI) : formations sur les "
            "statuts migratoires, espaces d'échange entre intervenant·es et Forum TCRI-PASI, où les "
            "organismes adoptent leurs revendications collectives.</p>"
        ),
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id, "site_name": "Espace TCRI-PASI"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
