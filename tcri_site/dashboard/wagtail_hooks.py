"""The staff's home is Wagtail's admin: give them the dashboard from its menu too."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("dashboard.view")


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    # The menu is built once per process: link to the French URL, which also serves English
    # speakers through the language switch.
    with translation.override("fr"):
        url = reverse("dashboard:index")
    return DashboardMenuItem(_("Tableau de bord PASI"), url, icon_name="table", order=150)
