"""The outbox in the Wagtail admin: queued, sent and failed e-mails, filtered by state, and
a button that sends a failed one again."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from tcri_site.errors import Refusal
from tcri_site.mail.models import EmailStatus, OutboundEmail
from tcri_site.mail.services import do_retry_email
from tcri_site.members.decorators import permission_required


class OutboxPermissionPolicy(BasePermissionPolicy):
    """The admin asks the rules: staff view and inspect; nobody adds, edits or deletes."""

    def user_has_permission(self, user, action):
        return action in {"view", "inspect"} and user.has_perm("mail.view_outbox")

    def users_with_any_permission(self, actions):
        return get_user_model().objects.none()  # not enumerable from rules predicates


register_permission_policy(OutboundEmail, OutboxPermissionPolicy(OutboundEmail))


class RetryColumn(Column):
    cell_template_name = "mail/admin/retry_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["failed"] = instance.status == EmailStatus.FAILED
        context["retry_url"] = reverse("mail_retry", args=[instance.pk])
        return context


class OutboxViewSet(ModelViewSet):
    model = OutboundEmail
    icon = "mail"
    menu_label = gettext_lazy("Courriels envoyés")
    add_to_admin_menu = True
    menu_order = 900
    inspect_view_enabled = True
    form_fields = []  # never edited: rules give nobody add, change or delete
    list_display = ["to", "subject", "status", "attempts", "last_error", "created_at", "sent_at",
                    RetryColumn("retry", label=gettext_lazy("Renvoyer"))]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject"]
    search_backend_name = None
    inspect_view_fields = ["key", "to", "subject", "language", "status", "attempts", "last_error",
                           "created_at", "next_attempt_at", "sent_at", "body"]
    list_per_page = 50

    def get_queryset(self, request):
        return OutboundEmail.objects.defer("body", "html", "attachments")


outbox_viewset = OutboxViewSet("outbox")


@hooks.register("register_admin_viewset")
def register_outbox():
    return outbox_viewset


@require_POST
@permission_required("mail.retry_email")
def retry(request, pk: int):
    email = get_object_or_404(OutboundEmail, pk=pk)
    try:
        do_retry_email(actor=request.user, email=email)
    except Refusal as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Le courriel à %(to)s est de nouveau en attente d'envoi.") % {"to": email.to})
    return redirect(outbox_viewset.get_url_name("index"))


@hooks.register("register_admin_urls")
def register_retry_url():
    return [path("courriels/<int:pk>/renvoyer/", retry, name="mail_retry")]
