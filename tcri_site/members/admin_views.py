from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from tcri_site.errors import Refusal
from tcri_site.members.decorators import permission_required
from tcri_site.members.forms import InviteForm
from tcri_site.members.services import do_invite_person


@permission_required("members.invite_people")
def invite_person(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = do_invite_person(actor=request.user, **form.cleaned_data)
        except Refusal as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
            )
            return redirect("members_invite")
    return TemplateResponse(
        request, "members/admin/invite.html", {"form": form, "page_title": _("Inviter une personne")}
    )


@permission_required("members.unlock_logins")
def locked_logins(request):
    """Accounts and addresses blocked after too many failed logins, each with an unlock button."""
    from tcri_site import lockout

    if request.method == "POST":
        try:
            attempt_id = int(request.POST.get("attempt", ""))
        except ValueError:
            attempt_id = 0
        if lockout.unlock(attempt_id):
            messages.success(request, _("La connexion est débloquée."))
        else:
            messages.error(request, _("Ce blocage n'existe plus."))
        return redirect("members_locked_logins")
    return TemplateResponse(
        request,
        "members/admin/locked_logins.html",
        {"attempts": lockout.locked_attempts(), "page_title": _("Connexions bloquées")},
    )
