"""What the exchange spaces contribute to the home page: recent active threads one may read."""

from django.urls import reverse
from django.utils.translation import gettext as _

from forum import services
from forum.models import Thread
from forum.rules import visible_spaces_q
from tcri_site.sections import Section


def home_sections(request) -> list[Section]:
    user = request.user
    if not user.has_perm("forum.view_index"):
        return []
    space_filter = visible_spaces_q(user)
    from forum.models import Space

    threads = list(
        services.annotate_unread(
            Thread.objects.filter(space__in=Space.objects.filter(space_filter), last_message_at__isnull=False)
            .select_related("space"),
            user,
        ).order_by("-last_message_at")[:5]
    )
    return [
        Section(
            title=_("Discussions récentes"),
            template="forum/sections/recent_threads.html",
            context={"threads": threads},
            order=20,
            more_url=reverse("forum:index"),
        )
    ]
