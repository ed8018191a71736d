"""CSV files that spreadsheet software in Québec opens as intended.

One format for every export of the workspace: UTF-8 with a byte-order mark (Excel otherwise
reads accents as Windows-1252), semicolons between columns (the list separator of French
locales, where a comma is the decimal mark), and text cells that a spreadsheet would take for
a formula (CSV injection) prefixed with an apostrophe. Numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

DELIMITER = ";"
CONTENT_TYPE = "text/csv; charset=utf-8"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)
    writer.writerow([cell(value) for value in header])
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def read_csv(data: bytes) -> list[list[str]]:
    """Parse what ``csv_bytes`` wrote (tests and imports)."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=DELIMITER))
