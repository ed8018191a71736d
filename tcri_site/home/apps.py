from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "tcri_site.home"
    label = "home"
    verbose_name = "Accueil"
