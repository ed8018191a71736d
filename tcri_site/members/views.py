from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tcri_site.i18n import translate_path
from tcri_site.members.decorators import permission_required
from tcri_site.members.forms import (
    AcceptInvitationForm,
    DirectoryFilterForm,
    LoginForm,
    OutboxPasswordResetForm,
    ProfileForm,
)
from tcri_site.members.models import Invitation, Membership, Organisation, Role
from tcri_site.members.services import (
    InvitationError,
    check_invitation_usable,
    do_accept_invitation,
)
from tcri_site.sections import organisation_sections


def _in_language(response: HttpResponseRedirect, request, language: str) -> HttpResponseRedirect:
    """Point a redirect at the person's language and remember it in the language cookie."""
    from django.conf import settings

    response["Location"] = translate_path(response["Location"], language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    translation.activate(language)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "members/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # Signing in from /en/… keeps the language the person was reading in; from the
        # French root (no prefix: nothing chosen), the profile's language decides.
        chosen = translation.get_language_from_path(self.request.path_info)
        return _in_language(response, self.request, chosen or form.get_user().language)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "members/password_reset_form.html"
    email_template_name = "members/email/password_reset_body.txt"
    subject_template_name = "members/email/password_reset_subject.txt"
    success_url = reverse_lazy("members:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "members/password_reset_confirm.html"
    success_url = reverse_lazy("members:password_reset_complete")


@permission_required("members.view_directory")
def profile(request):
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user)
        if form.is_valid():
            user = form.save()
            messages.success(request, _("Votre profil est enregistré."))
            return _in_language(redirect("members:profile"), request, user.language)
    else:
        form = ProfileForm(instance=request.user)
    return render(
        request,
        "members/profile.html",
        {"form": form, "membership": request.user.active_membership},
    )


@require_http_methods(["GET", "POST"])
def accept_invitation(request, token: str):
    try:
        invitation = check_invitation_usable(Invitation.find(token))
    except InvitationError as error:
        return render(
            request, "members/invitation_invalid.html", {"message": error.message}, status=error.status
        )
    form = AcceptInvitationForm(
        request.POST or None,
        email=invitation.email,
        initial={"first_name": invitation.first_name, "last_name": invitation.last_name},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = do_accept_invitation(
                token=token,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
        except InvitationError as error:
            return render(
                request,
                "members/invitation_invalid.html",
                {"message": error.message},
                status=error.status,
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Bienvenue! Votre compte est prêt."))
        return _in_language(redirect("members:profile"), request, user.language)
    return render(request, "members/accept_invitation.html", {"form": form, "invitation": invitation})


@permission_required("members.view_directory")
def directory(request):
    form = DirectoryFilterForm(request.GET or None)
    qs = Organisation.objects.filter(is_active=True).prefetch_related("volets")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            qs = qs.filter(Q(name__icontains=data["q"]) | Q(acronym__icontains=data["q"]))
        if data["region"]:
            qs = qs.filter(region=data["region"])
        if data["volet"]:
            qs = qs.filter(volets=data["volet"])
    qs = qs.annotate(people=Count("memberships", filter=Q(memberships__is_active=True)))
    page = Paginator(qs.order_by("name"), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {"form": form, "page_obj": page, "query": query.urlencode()},
    )


def _organisation(request, slug):
    return get_object_or_404(Organisation, slug=slug)


@permission_required("members.view_organisation_page", fn=_organisation)
def organisation_detail(request, slug: str):
    """An organisation's page: its people and roles, and what the apps contribute (trainings
    followed, demands, public votes). Costs the same number of queries whatever its size."""
    from tcri_site.members.rules import is_tcri_staff

    organisation = request.permission_object
    if not organisation.is_active and not is_tcri_staff(request.user):
        raise Http404
    organisation = Organisation.objects.prefetch_related("volets").get(pk=organisation.pk)
    memberships = (
        Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )
    representatives = {m.role: m for m in memberships.filter(role__in=[Role.DELEGUE, Role.SUBSTITUT])}
    people = Paginator(memberships, 50).get_page(request.GET.get("page"))
    sections = organisation_sections(request, organisation)
    return render(
        request,
        "members/organisation_detail.html",
        {
            "organisation": organisation,
            "people": people,
            "page_obj": people,
            "delegate": representatives.get(Role.DELEGUE),
            "substitute": representatives.get(Role.SUBSTITUT),
            "sections": sections,
        },
    )
