"""Wagtail admin exports (CSV and XLSX) through the workspace's one formula neutraliser.

Every index view of Wagtail's admin (snippets, model viewsets, reports, form submissions)
exports through ``wagtail.admin.views.mixins.SpreadsheetExportMixin``, and every cell goes
through its ``preprocess_field_value`` (for both formats). ``install()`` wraps that one
method, once, at start-up, so that a text cell a spreadsheet would take for a formula
(``=HYPERLINK(...)``, ``+``, ``-``, ``@``...) gets the same leading apostrophe as the site's
own CSV files (``tcri_site.spreadsheets.cell``). Wrapping the base class rather than adding a
mixin to each viewset covers the views Wagtail registers itself and any viewset added later.

``preprocess_field_value`` is Wagtail's (pinned in requirements.txt); ``install()`` raises at
start-up if it disappears, and tests/security/test_exports.py checks it is wrapped.
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import ImproperlyConfigured

from tcri_site.spreadsheets import cell

_MARK = "_tcri_neutralised"


def neutralise(value):
    """Text that would start a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str):
        return cell(value)
    return value


def install() -> None:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = getattr(SpreadsheetExportMixin, "preprocess_field_value", None)
    if original is None:
        raise ImproperlyConfigured(
            "wagtail.admin.views.mixins.SpreadsheetExportMixin.preprocess_field_value is gone: "
            "admin exports would no longer neutralise formulas (see tcri_site/admin_exports.py)."
        )
    if getattr(original, _MARK, False):
        return

    @wraps(original)
    def preprocess_field_value(self, field, value, export_format):
        return neutralise(original(self, field, value, export_format))

    setattr(preprocess_field_value, _MARK, True)
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value


def is_installed() -> bool:
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    return getattr(getattr(SpreadsheetExportMixin, "preprocess_field_value", None), _MARK, False)
