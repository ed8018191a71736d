"""The urn of every secret vote (motions' ``SecretChoice``, elections' ``ElectionBallot``):
the anonymous half of a secret ballot, kept so that nothing lines a row up with the record
of who voted.

Each row has a random UUID and its content only. Each ballot writes the vote's urn anew,
every row with a new id, in a random order: a table (or a dump) lists the rows in the order
they were written, so appending the new ballot, or swapping it with an earlier row, would
leave the newest ballots at the end of the table; written anew, the rows' order is a random
permutation whatever the casting order. An urn holds one row per organisation (at most a
few hundred), so the rewrite costs little; the caller holds the vote's row lock, so two
ballots never rewrite one urn at once. The close writes it anew once more and, on
PostgreSQL, vacuums the table so that the old row versions go from the data files.
"""

from __future__ import annotations

import logging
import secrets
import uuid

from django.db import connection, models, transaction

logger = logging.getLogger(__name__)


def _shuffled(items: list) -> list:
    """A uniformly random permutation drawn from the operating system's generator."""
    items = list(items)
    for i in range(len(items) - 1, 0, -1):
        j = secrets.randbelow(i + 1)
        items[i], items[j] = items[j], items[i]
    return items


def _rewrite(model: type[models.Model], field: str, contents: list, scope: dict) -> None:
    model.objects.filter(**scope).delete()
    model.objects.bulk_create(model(id=uuid.uuid4(), **scope, **{field: content}) for content in _shuffled(contents))


def drop_in_the_urn(model: type[models.Model], *, field: str, content, **scope) -> None:
    """Add one ballot (``field`` = ``content``) to the urn selected by ``scope``; call it
    inside the transaction that holds the vote's row lock."""
    contents = list(model.objects.filter(**scope).values_list(field, flat=True))
    _rewrite(model, field, [*contents, content], scope)


def reshuffle_the_urn(model: type[models.Model], *, field: str, **scope) -> None:
    """At the close: the urn written anew (new ids, random order), then vacuumed after the
    commit on PostgreSQL (VACUUM cannot run inside a transaction)."""
    _rewrite(model, field, list(model.objects.filter(**scope).values_list(field, flat=True)), scope)
    if connection.vendor == "postgresql":
        table = model._meta.db_table

        def vacuum() -> None:
            try:
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM {connection.ops.quote_name(table)}")
            except Exception:  # the count is stored; a later autovacuum does the same
                logger.exception("Could not vacuum the urn %s", table)

        transaction.on_commit(vacuum)
