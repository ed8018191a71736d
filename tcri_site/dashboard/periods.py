"""Calendar periods the figures count by: quarters and months ending today."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def last_quarters(today: date, count: int = 4) -> list[tuple[int, int]]:
    year, quarter = quarter_of(today)
    quarters = []
    for _i in range(count):
        quarters.append((year, quarter))
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    return list(reversed(quarters))


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s T%(quarter)s") % {"year": year, "quarter": quarter}


def quarter_start(year: int, quarter: int) -> datetime:
    naive = datetime(year, 3 * (quarter - 1) + 1, 1)
    return timezone.make_aware(naive)


def last_months(today: date, count: int = 12) -> list[tuple[int, int]]:
    year, month = today.year, today.month
    months = []
    for _i in range(count):
        months.append((year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))
