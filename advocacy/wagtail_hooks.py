"""The forum in the Wagtail admin: demands (snippet with revisions, locking, workflows),
sessions with their agenda, motions; the audit log's custom actions; update announcements."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from advocacy.models import Demand, Election, ForumSession, Motion, Prioritisation, UpdatePage


class DemandViewSet(SnippetViewSet):
    model = Demand
    icon = "doc-full"
    menu_label = _("Revendications")
    list_display = ["title", "state", "proposing_organisation", "updated_at"]
    list_filter = ["state"]
    search_fields = ["title", "text"]


class ForumSessionViewSet(SnippetViewSet):
    model = ForumSession
    icon = "date"
    menu_label = _("Séances")
    list_display = ["title", "starts_at", "status"]


class MotionViewSet(SnippetViewSet):
    model = Motion
    icon = "tasks"
    menu_label = _("Propositions")
    list_display = ["title", "session", "status", "result"]
    list_filter = ["status"]


class PrioritisationViewSet(SnippetViewSet):
    """Prepared here (title, method, demands); opened and closed from its page on the site."""

    model = Prioritisation
    icon = "list-ol"
    menu_label = _("Priorités du cahier")
    list_display = ["title", "method", "status", "closed_at"]
    list_filter = ["status", "method"]


class ElectionViewSet(SnippetViewSet):
    """Prepared here (seats, method, secrecy); conducted from its page on the site."""

    model = Election
    icon = "user"
    menu_label = _("Élections")
    list_display = ["title", "seats", "method", "status"]
    list_filter = ["status"]


class ForumGroup(SnippetViewSetGroup):
    items = (DemandViewSet, ForumSessionViewSet, MotionViewSet, PrioritisationViewSet, ElectionViewSet)
    menu_icon = "group"
    menu_label = _("Forum TCRI-PASI")
    menu_name = "forum-pasi"


register_snippet(ForumGroup)


@hooks.register("register_log_actions")
def register_forum_log_actions(actions):
    from advocacy.services import LOG_ACTIONS

    for action, (label, message) in LOG_ACTIONS.items():
        actions.register_action(action, label, message)


@hooks.register("after_publish_page")
def announce_update_page(request, page):
    specific = page.specific
    # A translation is not news: only the source-language update is announced.
    if isinstance(specific, UpdatePage) and specific.announced_at is None and specific.locale.is_default:
        from advocacy.services import do_announce_update

        UpdatePage.objects.filter(pk=specific.pk).update(announced_at=timezone.now())
        do_announce_update(page=specific, actor=getattr(request, "user", None))
