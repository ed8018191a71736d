"""The register of confidentiality incidents in the Wagtail admin, for its keepers only.

Access is the rule ``privacy_guard.keep_incident_register`` (rules.py), not Django's model
permissions: no group can be granted the register by accident. Entries are kept, not
deleted. Its CSV/XLSX export goes through the admin's formula neutraliser
(tcri_site/admin_exports.py), like every admin export.
"""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from tcri_site.privacy_guard.models import ConfidentialityIncident

RULE = "privacy_guard.keep_incident_register"
ACTIONS = {"add", "change", "view", "export"}


class RegisterKeeperPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ACTIONS and user.is_authenticated and user.has_perm(RULE)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        return users.filter(pk__in=[u.pk for u in users if u.has_perm(RULE)]) if set(actions) & ACTIONS else users.none()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_any_permission_for(self, user, actions):
        qs = self.model._default_manager.all()
        return qs if self.user_has_any_permission(user, actions) else qs.none()


class IncidentViewSet(SnippetViewSet):
    model = ConfidentialityIncident
    icon = "warning"
    menu_label = _("Incidents de confidentialité")
    menu_order = 290
    add_to_admin_menu = True
    list_display = ["known_on", "nature", "people_count", "risk", "status"]
    list_filter = ["status", "risk"]
    list_export = [
        "occurred_on", "known_on", "nature", "information_concerned", "people_count", "people_description",
        "risk", "risk_assessment", "measures", "cai_notified_on", "people_notified_on", "status", "created_at",
    ]
    export_filename = "registre-incidents"
    search_fields = ["nature", "information_concerned", "measures"]
    search_backend_name = None
    ordering = ["-known_on", "-pk"]
    list_per_page = 50
    exclude_form_fields = ["recorded_by"]


register_permission_policy(ConfidentialityIncident, RegisterKeeperPolicy(ConfidentialityIncident))
register_snippet(IncidentViewSet)


@hooks.register("after_create_snippet")
def record_who_recorded(request, instance):
    if isinstance(instance, ConfidentialityIncident) and instance.recorded_by_id is None:
        instance.recorded_by = request.user
        instance.save(update_fields=["recorded_by"])
