"""The digests' schedule: the daily one each morning, the weekly one on Monday morning."""

from datetime import time

from tcri_site.background.registry import periodic
from tcri_site.notifications.models import Frequency
from tcri_site.notifications.services import send_digests


@periodic("notifications.daily_digest", at=time(7, 0))
def daily_digest() -> int:
    return send_digests(Frequency.DAILY)


@periodic("notifications.weekly_digest", at=time(7, 0), weekday=0)
def weekly_digest() -> int:
    return send_digests(Frequency.WEEKLY)
