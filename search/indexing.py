"""Keeping the index in step with the database, on commit only.

Signal handlers (connected by each provider from ``SearchConfig.ready``) call ``schedule``,
which defers the work to ``transaction.on_commit``: a rolled-back change is never indexed,
and the object is read again *after* the commit, so what is indexed is what was stored. A
deleted, unpublished or hidden object yields no document and leaves the index at once.
New objects created in the ASGI server are indexed a moment later instead, together
(``tcri_site.live.soon``), after their broadcast.

The objects one transaction changed are indexed together once it commits (one read and
one write per source); a bulk change (an admin action, a command touching more than
``SEARCH_BULK_IN_TASK`` objects, default 50) goes to a ``index_objects_task`` in the
worker instead of the request.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import transaction

from search.backends import SearchUnavailable, get_backend
from search.providers import Provider, registry
from tcri_site import live

logger = logging.getLogger(__name__)


_pending = threading.local()  # per thread, as database connections are
TASK_CHUNK = 500


class _Group:
    """The changes of one transaction, indexed together by the first of its commit hooks
    that runs (one hook per change, so tests capturing the hooks of a block see theirs)."""

    def __init__(self):
        self.changes: dict = {}
        self.done = False


class _Hook:
    def __init__(self, group: _Group):
        self.group = group

    def __call__(self) -> None:
        if not self.group.done:
            self.group.done = True
            flush(self.group.changes)


def _current_group() -> _Group:
    """This transaction's group: the last one while one of its hooks still waits for the
    commit (searched from the end, where the last change put its hook); else a new one,
    so a rolled-back transaction's changes are dropped with their hooks."""
    group = getattr(_pending, "group", None)
    if group is not None and not group.done:
        for entry in reversed(transaction.get_connection().run_on_commit):
            if getattr(entry[1], "group", None) is group:
                return group
    group = _pending.group = _Group()
    return group


def schedule(provider: Provider, pk, deleted: bool = False, created: bool = False) -> None:
    if pk is None:
        return
    group = _current_group()
    group.changes.setdefault((provider.source, deleted, created), {})[pk] = None
    transaction.on_commit(_Hook(group))


def bulk_threshold() -> int:
    return getattr(settings, "SEARCH_BULK_IN_TASK", 50)


def flush(waiting: dict) -> None:
    """Index what a committed transaction changed: a few objects here, at once (or, for
    new ones in the ASGI server, a moment later); a bulk change in the worker."""
    for (source, deleted, created), pks in waiting.items():
        pks = list(pks)
        if len(pks) > bulk_threshold():
            _index_in_background(source, pks, deleted, created)
        elif created and live.defers():
            # Nobody waits for a new object's search entry, while everybody reading the
            # thread waits for the new message: index it just after the broadcast.
            for pk in pks:
                _index_new(source, pk)
        else:
            # As replacements, new objects too: one read and one write whatever was
            # indexed meanwhile (a repeated hook, a manual index) - what is stored wins.
            index_objects(source, pks, deleted=deleted)


def _index_in_background(source: str, pks: list, deleted: bool, created: bool) -> None:
    from search.tasks import index_objects_task

    try:
        with transaction.atomic():
            for start in range(0, len(pks), TASK_CHUNK):
                # As replacements (``created`` dropped): a task may run twice.
                index_objects_task.enqueue(source, pks[start:start + TASK_CHUNK], deleted)
    except Exception:  # noqa: BLE001 - the change is committed; index here rather than lose it
        logger.exception("Could not enqueue the indexing of %s %s objects", len(pks), source)
        index_objects(source, pks, deleted=deleted)


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
