"""The forum's periodic job: online votes between sittings open, remind and close by
themselves (``advocacy.services.online``). Safe to run late or twice: each close locks the
motion's row and each reminder is a unique row."""

from datetime import timedelta

from tcri_site.background.registry import periodic


@periodic("advocacy.close_online_votes", every=timedelta(minutes=1))
def close_online_votes() -> str:
    from advocacy.services.online import run_online_votes

    return run_online_votes()
