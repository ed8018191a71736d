"""PostgreSQL: match, count and rank on a lean table; filter access by equality.

A broad query ("asile": 16,500 visible matches of 107,000 documents) spent its time on the
wide rows (titles, bodies, addresses: 10,600 pages visited), on the array overlap test of
the permission filter (about 1 µs per row), and on counting facets token by token. Now:

- ``search_searchmatch`` holds, per document, only what matching needs: date, language,
  access string, facets as one string ("kind:message space:3 volet:1") and the
  ``tsvector``, written by statement triggers on ``search_searchdocument``;
- ``search_searchaccess`` lists the distinct access strings: a person's visible ones are
  read there (a few dozen rows), documents are then kept by a hashed ``acl = ANY(…)``;
- the document table loses its ``search_vector`` and token arrays (and three GIN indexes);
  it keeps ``title_vector`` for suggestions, now indexed only for the kinds suggested:
  messages are not (they carry their thread's title; ``ForumMessages.suggest``), and they
  made most of the rows a short prefix such as "dem" reached.

Nothing changes on SQLite: the two tables exist and stay empty.
"""

from django.db import migrations, models

MATCH_ROWS = """
    SELECT id, date, language, acl, btrim('kind:' || kind || ' ' || facet_keys),
        setweight(to_tsvector('public.tcri_french', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('public.tcri_french', coalesce(body, '')), 'B')
    FROM {source}"""
INSERT_MATCH = "INSERT INTO search_searchmatch (id, date, language, acl, facets, search_vector)" + MATCH_ROWS
# In one order, so that two transactions adding the same new strings wait, never deadlock.
INSERT_ACCESS = (
    "INSERT INTO search_searchaccess (acl) SELECT DISTINCT acl FROM {source} ORDER BY acl "
    "ON CONFLICT DO NOTHING"
)
DELETE_MATCH = "DELETE FROM search_searchmatch m USING old_rows o WHERE m.id = o.id"

TRIGGERS = {
    # name: (event, transition tables, body)
    "search_match_insert": (
        "INSERT", "NEW TABLE AS new_rows",
        [INSERT_MATCH.format(source="new_rows"), INSERT_ACCESS.format(source="new_rows")],
    ),
    "search_match_update": (
        "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [DELETE_MATCH, INSERT_MATCH.format(source="new_rows"), INSERT_ACCESS.format(source="new_rows")],
    ),
    "search_match_delete": ("DELETE", "OLD TABLE AS old_rows", [DELETE_MATCH]),
}

TITLE_ONLY = """CREATE OR REPLACE FUNCTION search_document_vectors() RETURNS trigger AS $$
    BEGIN
        NEW.title_vector := to_tsvector('public.tcri_simple', coalesce(NEW.title, ''));
        RETURN NEW;
    END $$ LANGUAGE plpgsql"""

POSTGRES_FORWARD = [
    "ALTER TABLE search_searchmatch ADD COLUMN search_vector tsvector",
    INSERT_MATCH.format(source="search_searchdocument"),
    INSERT_ACCESS.format(source="search_searchdocument"),
    "CREATE INDEX search_match_vector_gin ON search_searchmatch USING GIN (search_vector)",
    # With few visible access strings (someone not signed in: "public"), the planner combines
    # this with the text index and reads only the rows both allow.
    "CREATE INDEX search_match_acl ON search_searchmatch (acl)",
    *[
        statement
        for name, (event, tables, body) in TRIGGERS.items()
        for statement in (
            f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN {"; ".join(body)}; RETURN NULL; END $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {name} AFTER {event} ON search_searchdocument
                REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
        )
    ],
    TITLE_ONLY,
    "DROP INDEX IF EXISTS search_document_title_gin",
    """CREATE INDEX search_document_title_gin ON search_searchdocument
        USING GIN (title_vector) WHERE kind <> 'message'""",
    "DROP INDEX IF EXISTS search_document_vector_gin",
    "DROP INDEX IF EXISTS search_document_acl_gin",
    "DROP INDEX IF EXISTS search_document_facets_gin",
    """ALTER TABLE search_searchdocument
        DROP COLUMN search_vector, DROP COLUMN acl_tokens, DROP COLUMN facet_tokens""",
]

POSTGRES_BACKWARD = [
    *[f"DROP TRIGGER IF EXISTS {name} ON search_searchdocument" for name in TRIGGERS],
    *[f"DROP FUNCTION IF EXISTS {name}()" for name in TRIGGERS],
    """ALTER TABLE search_searchdocument ADD COLUMN search_vector tsvector,
        ADD COLUMN acl_tokens text[] GENERATED ALWAYS AS (string_to_array(acl, ' ')) STORED,
        ADD COLUMN facet_tokens text[] GENERATED ALWAYS AS
            (string_to_array(btrim('kind:' || kind || ' ' || facet_keys), ' ')) STORED""",
    """CREATE OR REPLACE FUNCTION search_document_vectors() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector :=
            setweight(to_tsvector('public.tcri_french', coalesce(NEW.title, '')), 'A') ||
            setweight(to_tsvector('public.tcri_french', coalesce(NEW.body, '')), 'B');
        NEW.title_vector := to_tsvector('public.tcri_simple', coalesce(NEW.title, ''));
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    "UPDATE search_searchdocument SET title = title",
    "DROP INDEX IF EXISTS search_document_title_gin",
    "CREATE INDEX search_document_title_gin ON search_searchdocument USING GIN (title_vector)",
    "CREATE INDEX search_document_vector_gin ON search_searchdocument USING GIN (search_vector)",
    "CREATE INDEX search_document_acl_gin ON search_searchdocument USING GIN (acl_tokens)",
    "CREATE INDEX search_document_facets_gin ON search_searchdocument USING GIN (facet_tokens)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0005_token_arrays"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchAccess",
            fields=[
                ("acl", models.TextField(primary_key=True, serialize=False)),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.CreateModel(
            name="SearchMatch",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("date", models.DateTimeField(null=True)),
                ("language", models.CharField(max_length=8)),
                ("acl", models.TextField()),
                ("facets", models.TextField()),
            ],
            options={
                "default_permissions": (),
            },
        ),
        migrations.RunPython(forward, backward),
    ]
