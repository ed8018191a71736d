"""The database search index: one row per searchable document, its facets and its grants.

Providers (``search/providers/``) turn other apps' objects into these rows; nothing here
knows about forum threads or training pages. Full text lives beside the table, created by
migration 0002 for the database in use: an FTS5 table on SQLite (accents folded), a
``tsvector`` column with a French, accent-folding text search configuration on PostgreSQL.

On PostgreSQL, matching, counting and ranking read a lean copy of each document instead
(``SearchMatch``: its date, ``tsvector`` and bucket, filled by triggers), and
``SearchBucket`` lists the distinct (language, access, facets) of the documents, so the
permission filter becomes a hashed ``bucket = ANY(…)`` test. The wide rows are read only for the page of hits shown.

Who may see a document is stored as *grants*: principal tokens such as ``public``,
``workspace``, ``org:12`` or ``space:3``. A person's tokens come from ``search.rules``; the
permission filter is part of every query, so results, facet counts and suggestions all obey it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    source = models.CharField(_("source"), max_length=100)  # "app_label.model_name"
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    language = models.CharField(
        _("langue"), max_length=8, blank=True, help_text=_("Vide : toutes les langues.")
    )
    kind = models.CharField(_("type"), max_length=40)
    title = models.CharField(_("titre"), max_length=500)
    body = models.TextField(_("texte"), blank=True)
    url = models.CharField(_("adresse"), max_length=500)
    date = models.DateTimeField(_("date"), null=True, blank=True)
    # The grants again, space-separated: on PostgreSQL a GIN index on its array lets the
    # permission filter run on the row itself (see migration 0003) instead of a join.
    acl = models.TextField(_("accès"), blank=True)
    # The facets again, as "name:value" words: on PostgreSQL, facet filters and counts read
    # them from the row (GIN index, migration 0004); elsewhere the DocumentFacet rows serve.
    facet_keys = models.TextField(_("facettes"), blank=True)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document indexé")
        verbose_name_plural = _("documents indexés")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "object_id", "language"], name="search_document_unique_key"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "language"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"


class DocumentFacet(models.Model):
    """One facet value of a document: volet ``4``, migration status ``rpce``, space ``7``."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="facets")
    name = models.CharField(max_length=20)
    value = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "name", "value"], name="search_facet_unique"
            )
        ]
        indexes = [models.Index(fields=["name", "value", "document"])]


class DocumentGrant(models.Model):
    """One principal allowed to see a document (any one of a document's grants suffices)."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="grants")
    principal = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "principal"], name="search_grant_unique")
        ]
        indexes = [models.Index(fields=["principal", "document"])]


class SearchMatch(models.Model):
    """PostgreSQL's lean copy of a document, for matching, counting facets and ranking.

    Triggers on ``SearchDocument`` (migrations 0006 and 0007) insert, replace and delete these
    rows with the document, and add the ``search_vector`` column (not a model field, so the
    model is the same everywhere); the table stays empty on other databases. A broad query
    visits one row per match: besides the vector, a row holds only its date and a number,
    its bucket (the document's language, access and facets), so the permission filter is an
    integer test and facet counts group on an integer.
    """

    id = models.BigIntegerField(primary_key=True)  # the SearchDocument's id
    date = models.DateTimeField(null=True)
    bucket = models.IntegerField()  # a SearchBucket's id

    class Meta:
        default_permissions = ()


class SearchBucket(models.Model):
    """Each distinct (language, access, facets) of the indexed documents (PostgreSQL, filled
    by trigger; a few hundred rows for a hundred thousand documents).

    A person's visible buckets are read here, with their facets; documents are then kept by
    a hashed ``bucket = ANY(…)`` and counted per bucket. Buckets no longer used are harmless.
    """

    language = models.CharField(max_length=8)
    acl = models.TextField()  # SearchDocument.acl
    facets = models.TextField()  # "kind:message space:3 volet:1": the kind, then facet_keys

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["language", "acl", "facets"], name="search_bucket_unique"
            )
        ]
