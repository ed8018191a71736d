"""Keeping the index in step with the database, on commit only.

Signal handlers (connected by each provider from ``SearchConfig.ready``) call ``schedule``,
which defers the work to ``transaction.on_commit``: a rolled-back change is never indexed,
and the object is read again *after* the commit, so what is indexed is what was stored. A
deleted, unpublished or hidden object yields no document and leaves the index at once.
New objects created in the ASGI server are indexed a moment later instead, together
(``tcri_site.live.soon``), after their broadcast.
"""

from __future__ import annotations

import logging
import threading
from functools import partial

from django.db import transaction

from search.backends import SearchUnavailable, get_backend
from search.providers import Provider, registry
from tcri_site import live

logger = logging.getLogger(__name__)


def schedule(provider: Provider, pk, deleted: bool = False, created: bool = False) -> None:
    if pk is None:
        return
    if created:
        # Nobody waits for a new object's search entry, while everybody reading the thread
        # waits for the new message: index it just after the broadcast (tcri_site.live.soon).
        transaction.on_commit(partial(_index_new, provider.source, pk))
    else:
        transaction.on_commit(partial(index_now, provider.source, pk, deleted))


_new_lock = threading.Lock()
_new: dict[str, dict] = {}  # source -> {pk: None}, created in this process, not yet indexed


def _index_new(source: str, pk) -> None:
    if not live.defers():
        index_now(source, pk, created=True)
        return
    # Later, and together with the others created meanwhile (one read and one write for
    # all), as replacements: an object may have been changed, hidden or deleted (and
    # indexed) meanwhile, here or in another process; what is stored then wins.
    with _new_lock:
        first = not _new
        _new.setdefault(source, {})[pk] = None
    if first:
        live.soon(index_waiting)


def index_waiting() -> None:
    """Index the new objects waiting in this process (see ``_index_new``)."""
    with _new_lock:
        waiting = dict(_new)
        _new.clear()
    for source, pks in waiting.items():
        index_objects(source, list(pks))


def index_objects(source: str, pks: list, deleted: bool = False, created: bool = False) -> None:
    """Index what is stored now for each of ``pks``, in one read and one write.

    ``deleted``: nothing to read, the documents go. ``created``: new objects have nothing
    to replace.
    """
    provider = registry.get(source)
    if provider is None:
        return
    found = {} if deleted else {str(obj.pk): obj for obj in provider.get_queryset().filter(pk__in=pks)}
    ids = [str(pk) for pk in pks]
    items = [
        (source, pk, doc) for pk in ids if pk in found for doc in provider.documents(found[pk])
    ]
    try:
        backend = get_backend()
        if created:
            if items:
                backend.add_many(items)
        else:
            backend.replace_many(source, ids, items)
    except SearchUnavailable:
        # The change itself is committed; the index catches up at the next rebuild.
        logger.warning("Search index unavailable: %s %s not indexed", source, ", ".join(ids))


def index_now(source: str, pk, deleted: bool = False, created: bool = False) -> None:
    """Index what is stored now for one object (see ``index_objects``)."""
    index_objects(source, [pk], deleted=deleted, created=created)


def connect_signals() -> None:
    for provider in registry.providers():
        provider.connect(schedule)


def rebuild(progress=None, batch_size: int = 500) -> int:
    """Empty the index and index every provider's objects; returns the number of documents.

    ``progress(total, label)`` returns an object with ``advance(n)`` (``tcri_site.seeding``'s
    progress bar), so seed_demo and ``search_rebuild`` show the same bar.
    """
    backend = get_backend()
    backend.clear()
    count = 0
    for provider in registry.providers():
        qs = provider.get_queryset()
        bar = progress(qs.count(), str(provider.label)) if progress else None
        batch: list = []
        for obj in qs.iterator(chunk_size=batch_size):
            batch += [(provider.source, str(obj.pk), doc) for doc in provider.documents(obj)]
            if bar:
                bar.advance()
            if len(batch) >= batch_size:
                backend.add_many(batch)
                count += len(batch)
                batch = []
        if batch:
            backend.add_many(batch)
            count += len(batch)
        if bar and hasattr(bar, "finish"):
            bar.finish()
    analyse()
    return count


def analyse() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL plans badly without them)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE search_searchdocument, search_searchmatch, search_searchbucket, "
                "search_documentgrant, search_documentfacet"
            )
