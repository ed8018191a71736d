"""Organisations, memberships and invitations in the Wagtail admin, under one menu."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from tcri_site.members import admin_views
from tcri_site.members.models import Invitation, Membership, Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organismes membres")
    list_display = ["name", "acronym", "region", BooleanColumn("pasi_participant"), BooleanColumn("is_active")]
    list_filter = ["region", "volets", "pasi_participant", "is_active"]
    search_fields = ["name", "acronym", "contact_name", "contact_email"]
    search_backend_name = None
    list_export = ["name", "acronym", "region", "volet_numbers", "pasi_participant", "is_active", "contact_name", "contact_email", "phone"]
    export_headings = {"volet_numbers": _("Volets PASI")}
    export_filename = "organismes-membres"
    ordering = ["name"]
    list_per_page = 50

    def get_queryset(self, request):
        return Organisation.objects.prefetch_related("volets")


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Appartenances et rôles")
    list_display = ["user", "organisation", "role", "job_title", BooleanColumn("is_coordinator"), BooleanColumn("is_active")]
    list_filter = ["role", "is_active", "is_coordinator", "organisation__region", "organisation__volets"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "organisation__name", "organisation__acronym"]
    search_backend_name = None
    list_export = ["user", "user_email", "organisation", "role", "job_title", "is_coordinator", "is_active"]
    export_headings = {"user_email": _("Adresse courriel")}
    export_filename = "appartenances"
    list_per_page = 50

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "organisation")


class InvitationViewSet(SnippetViewSet):
    model = Invitation
    icon = "mail"
    menu_label = _("Invitations")
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "used_at"]
    list_filter = ["role"]
    search_fields = ["email"]
    search_backend_name = None
    add_to_admin_menu = False
    list_per_page = 50

    def get_queryset(self, request):
        return Invitation.objects.select_related("organisation")


class MembersGroup(SnippetViewSetGroup):
    menu_label = _("Organismes")
    menu_icon = "group"
    menu_order = 200
    items = (OrganisationViewSet, MembershipViewSet, InvitationViewSet)


register_snippet(MembersGroup)


@hooks.register("register_admin_urls")
def register_invite_url():
    return [
        path("inviter/", admin_views.invite_person, name="members_invite"),
        path("connexions-bloquees/", admin_views.locked_logins, name="members_locked_logins"),
    ]


class InviteMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("members.invite_people")


@hooks.register("register_admin_menu_item")
def register_invite_menu_item():
    return InviteMenuItem(
        _("Inviter une personne"), reverse("members_invite"), icon_name="mail", order=210
    )


class LockedLoginsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("members.unlock_logins")


@hooks.register("register_settings_menu_item")
def register_locked_logins_menu_item():
    return LockedLoginsMenuItem(
        _("Connexions bloquées"), reverse("members_locked_logins"), icon_name="lock", order=900
    )
