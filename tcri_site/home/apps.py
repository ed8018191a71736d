from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "tcri_site.home"
    label = "home"
    verbose_name = "Accueil"

    def ready(self):
        from wagtail.signals import page_published

        from tcri_site.translations import sync_source_on_publish

        # The pages' translations follow their French source (tcri_site/translations.py).
        page_published.connect(sync_source_on_publish, dispatch_uid="translations-sync-source")
