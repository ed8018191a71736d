"""The forum's link in the main navigation: "À voter" with the number of open online votes
the person's organisation has not voted on (délégué·es and substitut·es; one count query)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tcri_site.navigation import NavItem


def nav_items(request) -> list[NavItem]:
    user = request.user
    if not user.is_authenticated or not user.has_perm("advocacy.see_votes_awaiting"):
        return []
    from advocacy.services.online import votes_awaiting_count

    return [
        NavItem(
            key="votes_awaiting",
            label=_("À voter"),
            url=reverse("advocacy:votes_awaiting"),
            count=votes_awaiting_count(user),
            count_label=_("votes en ligne en attente du vote de votre organisme"),
            order=50,
        )
    ]
