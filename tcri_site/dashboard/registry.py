"""The dashboard's registry of figures: each app contributes its own in ``<app>/figures.py``.

A figure is a small table (plus optional bars) built from a fixed number of aggregate
queries, so the dashboard costs the same whatever the data size. An app declares one with
``@register(key, order=...)`` on a function returning a ``Figure``; the dashboard finds
those modules with ``tcri_site.discovery`` and shows the figures by ``order``. A "paged"
figure takes ``limit`` (rows on the page; ``limit=None`` for the CSV export, every row).
The dashboard imports no app: a figure whose model is renamed fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured

from tcri_site.discovery import discover

PAGE_ROWS = 25  # rows shown on the page for list-like figures; the CSV has them all


@dataclass
class Figure:
    key: str
    title: str
    description: str = ""
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    # (label, value) pairs drawn as bars; the table above carries the same numbers.
    bars: list[tuple[str, int]] = field(default_factory=list)
    bar_unit: str = ""
    links: list[str] = field(default_factory=list)  # optional link for each row's first cell
    total_rows: int | None = None  # when the page shows fewer rows than exist

    @property
    def bar_max(self) -> int:
        return max((value for _label, value in self.bars), default=0)

    @property
    def bar_items(self) -> list[dict]:
        top = self.bar_max or 1
        return [
            {"label": label, "value": value, "percent": round(100 * value / top, 1)}
            for label, value in self.bars
        ]

    @property
    def table_rows(self) -> list[dict]:
        return [
            {
                "head": row[0],
                "cells": row[1:],
                "link": self.links[i] if i < len(self.links) else "",
            }
            for i, row in enumerate(self.rows)
        ]

    @property
    def hidden_rows(self) -> int:
        return max(0, (self.total_rows or 0) - len(self.rows))


@dataclass(frozen=True)
class Entry:
    key: str
    build: Callable[..., Figure]
    order: int
    paged: bool  # build(limit=None) gives every row

    def full(self) -> Figure:
        """The figure with every row, for the CSV export."""
        return self.build(limit=None) if self.paged else self.build()


_entries: dict[str, Entry] = {}


def register(key: str, *, order: int, paged: bool = False):
    """Declare ``build`` (a function returning a ``Figure``) as the dashboard figure ``key``."""

    def decorator(build: Callable[..., Figure]) -> Callable[..., Figure]:
        known = _entries.get(key)
        if known is not None and known.build.__qualname__ != build.__qualname__:
            raise ImproperlyConfigured(
                f"Dashboard figure {key!r} registered twice: {known.build.__module__} and {build.__module__}."
            )
        _entries[key] = Entry(key=key, build=build, order=order, paged=paged)
        return build

    return decorator


def entries() -> list[Entry]:
    """Every app's figures, in page order."""
    discover("figures")
    return sorted(_entries.values(), key=lambda e: (e.order, e.key))


def get(key: str) -> Entry | None:
    discover("figures")
    return _entries.get(key)


def all_figures() -> list[Figure]:
    return [entry.build() for entry in entries()]


def full_figure(key: str) -> Figure | None:
    """The figure with every row (for CSV export), or None for an unknown key."""
    entry = get(key)
    return entry.full() if entry else None
