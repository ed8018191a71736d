"""The nightly backup (03:00, America/Montreal), unless ``BACKUP_NIGHTLY`` is off."""

from datetime import time

from django.conf import settings

from tcri_site.background.registry import periodic


@periodic("backups.nightly", at=time(3, 0))
def nightly_backup() -> str:
    if not getattr(settings, "BACKUP_NIGHTLY", True):
        return "off (BACKUP_NIGHTLY)"
    from tcri_site.backups import make_backup

    return str(make_backup())
