"""The retention purge runs every night at 02:30 (America/Montreal) from the worker's schedule."""

from datetime import time

from tcri_site.background.registry import periodic


@periodic("privacy_guard.retention", at=time(2, 30))
def nightly_retention():
    from tcri_site.privacy_guard import run_retention

    return run_retention(dry_run=False)
