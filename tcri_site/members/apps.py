from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "tcri_site.members"
    label = "members"
    verbose_name = _("Organismes et personnes")

    def ready(self):
        from django.db.models.signals import post_migrate

        from tcri_site.members.roles import post_migrate_receiver

        post_migrate.connect(post_migrate_receiver, dispatch_uid="tcri_staff_groups")

        from tcri_site import admin_exports, checks  # noqa: F401 (checks registers itself)

        admin_exports.install()
