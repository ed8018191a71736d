from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from tcri_site.members.decorators import permission_required
from tcri_site.members.forms import InviteForm
from tcri_site.members.services import do_invite_person


@permission_required("members.invite_people")
def invite_person(request):
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = do_invite_person(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
            )
            return redirect("members_invite")
    return TemplateResponse(
        request, "members/admin/invite.html", {"form": form, "page_title": _("Inviter une personne")}
    )
