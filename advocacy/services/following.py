"""Following and muting a demand, and what its followers hear: new comments, amendments
and changes of state. The choice is stored by the foundation (``tcri_site.notifications``
``Follow``); who may follow is ``advocacy.follow_demand``; muting silences the followers'
notices (the state notices of the demand's own organisations are theirs by role)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from advocacy.models import Demand
from advocacy.services.common import InvalidInput, _require
from tcri_site.notifications import following
from tcri_site.notifications.models import FollowMode


def do_follow_demand(*, actor, demand: Demand, mode) -> tuple[str | None, bool]:
    """``mode``: "follow", "mute" or None/"none" to forget; idempotent. Returns (mode, changed)."""
    _require(actor, "advocacy.follow_demand", demand)
    if mode in (None, "", "none"):
        mode = None
    elif mode not in FollowMode.values:
        raise InvalidInput(_("Choix de suivi inconnu : « follow », « mute » ou « none »."), code="bad_follow_mode")
    return following.set_follow(actor, demand, mode)


def follow_mode_of(user, demand: Demand) -> str | None:
    return following.follow_mode(user, demand)


def notify_demand_followers(demand: Demand, *, actor, title, skip=()) -> list:
    """Tell the demand's followers (who may still see it), once, by their preferences."""
    return following.notify_followers(
        [demand],
        may_read=lambda user: user.has_perm("advocacy.see_demand", demand),
        title=title,
        url=demand.get_absolute_url,
        actor=actor,
        skip=skip,
    )
