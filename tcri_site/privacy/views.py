"""The policy, its acceptance, a person's data (JSON and summary), erasure; staff's twins."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tcri_site.members.decorators import permission_required
from tcri_site.members.models import User
from tcri_site.privacy import services
from tcri_site.privacy.errors import PrivacyRefusal
from tcri_site.privacy.forms import AcceptPolicyForm, ErasureForm, StaffErasureForm
from tcri_site.privacy.middleware import SESSION_KEY


def policy(request):
    page = services.current_policy()
    if page is None:
        raise Http404
    return page.serve(request)


@permission_required("privacy.see_own_data")
def accept(request):
    page = services.current_policy()
    if page is None:
        return redirect("home")
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = "/"
    form = AcceptPolicyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.do_accept_policy(actor=request.user, version=page.version)
        request.session[SESSION_KEY] = page.version
        messages.success(request, _("Merci : votre acceptation de la politique est enregistrée."))
        return redirect(target)
    return render(request, "privacy/accept.html", {"page": page, "form": form, "next": target}, status=400 if form.errors else 200)


def _json_response(person) -> HttpResponse:
    data = services.build_export(person)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-personnelles-{person.pk}.json"'
    return response


def _summary(request, person, staff=False):
    return render(request, "privacy/summary.html", {"person": person, "export": services.build_export(person), "staff": staff})


@permission_required("privacy.see_own_data")
def my_data(request):
    return render(request, "privacy/my_data.html", {"acceptances": request.user.policy_acceptances.all()})


@permission_required("privacy.see_own_data")
def my_data_json(request):
    return _json_response(request.user)


@permission_required("privacy.see_own_data")
def my_data_html(request):
    return _summary(request, request.user)


@permission_required("privacy.see_own_data")
def erase_me(request):
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_erase_person(
                actor=request.user, person=request.user,
                remove_messages=form.cleaned_data["remove_messages"], confirm_email=form.cleaned_data["email"],
            )
        except PrivacyRefusal as refusal:
            form.add_error("email" if refusal.code == "email_mismatch" else None, str(refusal.message))
        else:
            logout(request)
            messages.success(request, _("Votre compte est effacé. Merci d'avoir participé."))
            return redirect("home")
    return render(request, "privacy/erase.html", {"form": form}, status=400 if form.errors else 200)


@permission_required("privacy.handle_personal_data")
def staff_people(request):
    query = (request.GET.get("q") or "").strip()
    people = User.objects.filter(email__icontains=query).order_by("email")[:50] if query else []
    return render(request, "privacy/staff_people.html", {"query": query, "people": people})


def _person(request, pk):
    return get_object_or_404(User, pk=pk)


@permission_required("privacy.handle_personal_data")
def staff_json(request, pk):
    return _json_response(_person(request, pk))


@permission_required("privacy.handle_personal_data")
def staff_html(request, pk):
    return _summary(request, _person(request, pk), staff=True)


@permission_required("privacy.handle_personal_data")
def staff_erase(request, pk):
    person = _person(request, pk)
    form = StaffErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_erase_person(actor=request.user, person=person, remove_messages=form.cleaned_data["remove_messages"])
        except PrivacyRefusal as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("Le compte n° %(pk)s est effacé.") % {"pk": person.pk})
            return redirect("privacy:staff_people")
    return render(request, "privacy/staff_erase.html", {"person": person, "form": form}, status=400 if form.errors else 200)
