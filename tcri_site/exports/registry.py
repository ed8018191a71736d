"""What can be prepared: each app declares its kinds in ``<app>/downloads.py`` (found by
``tcri_site.discovery``), so the foundation builds files it knows nothing about.

A kind says who may have the file (a permission of the app's rules, asked again when the
file is fetched), how many units of work it is (rows, certificates: the progress) and how
to write it. ``CsvKind`` writes the workspace's CSV format (``tcri_site.spreadsheets``:
formula cells neutralised) one row at a time.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tcri_site.spreadsheets import CONTENT_TYPE, DELIMITER, cell

_kinds: dict[str, DownloadKind] = {}


@dataclass
class DownloadKind:
    name: str
    permission: str
    count: Callable[[dict], int]
    write: Callable[[dict, Any, Callable[[int], None]], None]  # (arguments, binary file, step)
    filename: Callable[[dict], str]
    content_type: str = "application/octet-stream"
    permission_object: Callable[[dict], Any] | None = None

    def object_for(self, arguments: dict):
        return self.permission_object(arguments) if self.permission_object else None

    def allows(self, user, arguments: dict) -> bool:
        try:
            obj = self.object_for(arguments)
        except Exception:  # noqa: BLE001 - the object is gone: nobody may have the file
            return False
        return user.has_perm(self.permission, obj)


def CsvKind(*, name: str, permission: str, header: Callable[[dict], Sequence],
            rows: Callable[[dict], Iterable[Sequence]], count: Callable[[dict], int],
            filename: Callable[[dict], str], permission_object=None) -> DownloadKind:
    """A kind whose file is ``header`` then ``rows`` in the format of ``csv_bytes``."""

    def write(arguments, out, step):
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        text.write("\ufeff")
        writer = csv.writer(text, delimiter=DELIMITER)
        writer.writerow([cell(value) for value in header(arguments)])
        for row in rows(arguments):
            writer.writerow([cell(value) for value in row])
            step(1)
        text.flush()
        text.detach()

    return DownloadKind(name=name, permission=permission, count=count, write=write, filename=filename,
                        content_type=CONTENT_TYPE, permission_object=permission_object)


def register(kind: DownloadKind) -> DownloadKind:
    if kind.name in _kinds and _kinds[kind.name] is not kind:
        raise ValueError(f"Two download kinds are named {kind.name!r}")
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> DownloadKind:
    """The kind named ``name`` (KeyError if no app declares it)."""
    if name not in _kinds:
        from tcri_site.discovery import discover

        discover("downloads")
    return _kinds[name]
