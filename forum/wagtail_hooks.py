"""Exchange spaces and the reports queue in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from forum import admin_views
from forum.models import Space


class SpaceViewSet(SnippetViewSet):
    model = Space
    icon = "comment"
    menu_label = _("Espaces d'échange")
    menu_order = 230
    add_to_admin_menu = True
    list_display = ["name", "visibility", "volet", BooleanColumn("is_active")]
    list_filter = ["visibility", "is_active"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["position", "name"]
    list_per_page = 50


register_snippet(SpaceViewSet)


@hooks.register("register_admin_urls")
def register_reports_urls():
    return [
        path("forum/signalements/", admin_views.reports_queue, name="forum_reports"),
        path("forum/signalements/<int:pk>/", admin_views.resolve_report, name="forum_report_resolve"),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("forum.moderate_any")


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Signalements"), reverse("forum_reports"), icon_name="warning", order=235
    )
