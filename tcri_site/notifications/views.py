from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from tcri_site.members.decorators import permission_required
from tcri_site.notifications.forms import NotificationFilterForm, PreferencesForm
from tcri_site.notifications.models import Kind, Notification
from tcri_site.notifications.services import (
    InvalidUnsubscribeToken,
    do_set_preferences,
    do_unsubscribe,
    mark_read,
    preferences,
    read_unsubscribe_token,
    unread_count,
)


def _safe_next(request, fallback: str = "notifications:list"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@permission_required("notifications.view_own")
def notification_list(request):
    form = NotificationFilterForm(request.GET or None)
    qs = Notification.objects.filter(recipient=request.user).select_related("actor")
    show, kind = "all", ""
    if form.is_valid():
        show = form.cleaned_data["show"] or "all"
        kind = form.cleaned_data["kind"]
    if show == "unread":
        qs = qs.unread()
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page_obj": page,
            "form": form,
            "show": show,
            "kind": kind,
            "query": query.urlencode(),
            "unread": unread_count(request.user),
        },
    )


@permission_required("notifications.view_own")
@require_POST
def open_notification(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(request.user, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


def _own_notification(request, pk: int):
    return get_object_or_404(Notification, pk=pk)


@permission_required("notifications.mark_read", fn=_own_notification)
@require_POST
def mark_one_read(request, pk: int):
    mark_read(request.user, [pk])
    messages.success(request, _("Notification marquée comme lue."))
    return _safe_next(request)


@permission_required("notifications.view_own")
@require_POST
def mark_all_read(request):
    changed = mark_read(request.user)
    if changed:
        messages.success(request, _("Toutes vos notifications sont marquées comme lues."))
    return _safe_next(request)


@permission_required("notifications.view_own")
@require_http_methods(["GET", "POST"])
def preferences_view(request):
    current = preferences(request.user)
    form = PreferencesForm(request.POST or None, initial_choices=current)
    if request.method == "POST" and form.is_valid():
        do_set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Vos préférences de notification sont enregistrées."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "general": request.user.get_notification_preference_display()},
    )


@csrf_exempt  # the signed token is the credential; mail clients POST here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """One-click unsubscribe from an e-mail, without signing in.

    GET shows what the link will do and a single button; POST does it. A bare GET never
    changes anything, because mail scanners open links on their own.
    """
    try:
        person, kind = read_unsubscribe_token(token)
    except InvalidUnsubscribeToken:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    kind_label = Kind(kind).label if kind else ""
    if request.method == "POST":
        do_unsubscribe(person, kind)
        return render(
            request,
            "notifications/unsubscribe_done.html",
            {"kind_label": kind_label, "all_kinds": kind is None},
        )
    return render(
        request,
        "notifications/unsubscribe_confirm.html",
        {"kind_label": kind_label, "all_kinds": kind is None, "email": person.email},
    )
