"""Each app's part of a person's data, found in ``<app>/personal_data.py``.

Such a module defines ``SECTION`` (a short English key, e.g. ``"forum"``) and
``export(user) -> dict`` (JSON-ready values, a fixed number of queries) and may define
``erase(user, *, remove_messages: bool) -> None``, called inside the erasure's transaction
after the account itself is anonymised.
"""

from __future__ import annotations

from tcri_site.discovery import discover


def contributors():
    return discover("personal_data")
