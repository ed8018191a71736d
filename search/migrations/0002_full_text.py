"""Full text beside ``search_searchdocument``, for the database in use.

SQLite: an external-content FTS5 table kept in step by triggers; ``unicode61
remove_diacritics 2`` folds accents ("eleve" matches "élève").

PostgreSQL: the ``unaccent`` extension and two text search configurations —
``tcri_french`` (a copy of ``french`` whose words go through ``unaccent`` then
``french_stem``: accents folded *and* stemmed, so "formation" matches "formations") and
``tcri_simple`` (folded, not stemmed, for prefix suggestions on titles) — plus two
``tsvector`` columns filled by a trigger and indexed with GIN. The columns are not model
fields, so the model stays the same on every database.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, content='search_searchdocument', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'tcri_french') THEN
            CREATE TEXT SEARCH CONFIGURATION public.tcri_french (COPY = pg_catalog.french);
            ALTER TEXT SEARCH CONFIGURATION public.tcri_french
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'tcri_simple') THEN
            CREATE TEXT SEARCH CONFIGURATION public.tcri_simple (COPY = pg_catalog.simple);
            ALTER TEXT SEARCH CONFIGURATION public.tcri_simple
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
        END IF;
    END $$""",
    """ALTER TABLE search_searchdocument
        ADD COLUMN search_vector tsvector, ADD COLUMN title_vector tsvector""",
    """CREATE FUNCTION search_document_vectors() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('public.tcri_french', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('public.tcri_french', coalesce(NEW.body, '')), 'B');
        NEW.title_vector := to_tsvector('public.tcri_simple', coalesce(NEW.title, ''));
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_document_vectors BEFORE INSERT OR UPDATE
        ON search_searchdocument FOR EACH ROW EXECUTE FUNCTION search_document_vectors()""",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (search_vector)",
    "CREATE INDEX search_document_title_gin ON search_searchdocument USING GIN (title_vector)",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_document_vectors ON search_searchdocument",
    "DROP FUNCTION IF EXISTS search_document_vectors()",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS search_vector, DROP COLUMN IF EXISTS title_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
