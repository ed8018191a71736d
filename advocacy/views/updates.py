"""Implementation updates: their list and the e-mail subscription."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from advocacy import services
from advocacy.models import (
    UpdateIndexPage,
    UpdateSubscription,
)
from advocacy.models.pages import source_updates
from advocacy.views.common import PAGE_SIZE
from tcri_site.i18n import localized_pages
from tcri_site.members.decorators import permission_required


@permission_required("advocacy.view_forum")
def updates(request):
    index_page = UpdateIndexPage.objects.live().filter(locale__language_code=request.LANGUAGE_CODE).first() or UpdateIndexPage.objects.live().first()
    # The French updates, each in the reader's language where translated (never an empty
    # English list because nothing is translated yet).
    qs = source_updates(index_page).prefetch_related("volets")
    page_obj = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = localized_pages(page_obj.object_list, prefetch=("volets",))
    subscribed = request.user.is_authenticated and UpdateSubscription.objects.filter(user=request.user).exists()
    return render(request, "advocacy/updates.html", {"page_obj": page_obj, "index_page": index_page, "subscribed": subscribed})


@require_POST
@permission_required("advocacy.subscribe_updates")
def subscribe(request):
    on = request.POST.get("subscribe") == "1"
    services.do_subscribe(actor=request.user, subscribe=on)
    messages.success(request, _("Vous recevrez les mises à jour par courriel.") if on else _("Vous ne recevrez plus les mises à jour par courriel."))
    return redirect(reverse("advocacy:updates"))
