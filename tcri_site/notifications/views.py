from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tcri_site.members.decorators import permission_required
from tcri_site.notifications.models import Notification
from tcri_site.notifications.services import mark_read


@permission_required("notifications.view_own")
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user).select_related("actor")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page_obj": page})


@permission_required("notifications.view_own")
@require_POST
def open_notification(request, pk: int):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(request.user, [notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:list")


@permission_required("notifications.view_own")
@require_POST
def mark_all_read(request):
    mark_read(request.user)
    return redirect("notifications:list")
