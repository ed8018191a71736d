"""PostgreSQL: each match row names its bucket (language, access and facets) by a number.

Measured on 107,000 documents (``tests/bench/search.py``), a broad query ("asile" as the
project lead: 21,000 visible matches) spent a fifth of its statement testing each row's
access string against some forty visible ones and grouping on the facet strings. The
distinct (language, access, facets) of the documents are a few hundred; each now has a
row in ``search_searchbucket`` and the match rows keep only its number. A person's visible
buckets are read there with their facets, the permission filter is a hashed integer test
and facet counts group on an integer (the statement: 50 → 39 ms). The access strings'
table goes: the buckets list them.

The backfill updates every match row once, which leaves the old row versions behind on a
large index until ``VACUUM FULL search_searchmatch`` returns the space. Nothing changes on
SQLite: the tables exist and stay empty.
"""

import importlib

from django.db import migrations, models

lean = importlib.import_module("search.migrations.0006_lean_match")

FACETS = "btrim('kind:' || kind || ' ' || facet_keys)"
# In one order, so that two transactions adding the same new buckets wait, never deadlock.
INSERT_BUCKETS = (
    "INSERT INTO search_searchbucket (language, acl, facets) "
    f"SELECT DISTINCT language, acl, {FACETS} FROM {{source}} ORDER BY 1, 2, 3 ON CONFLICT DO NOTHING"
)
INSERT_MATCH = f"""
    INSERT INTO search_searchmatch (id, date, bucket, search_vector)
    SELECT d.id, d.date, b.id,
        setweight(to_tsvector('public.tcri_french', coalesce(d.title, '')), 'A') ||
        setweight(to_tsvector('public.tcri_french', coalesce(d.body, '')), 'B')
    FROM {{source}} d JOIN search_searchbucket b ON b.language = d.language AND b.acl = d.acl
        AND b.facets = btrim('kind:' || d.kind || ' ' || d.facet_keys)"""

TRIGGERS = {
    # name: (event, transition tables, body)
    "search_match_insert": (
        "INSERT", "NEW TABLE AS new_rows",
        [INSERT_BUCKETS.format(source="new_rows"), INSERT_MATCH.format(source="new_rows")],
    ),
    "search_match_update": (
        "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        [lean.DELETE_MATCH, INSERT_BUCKETS.format(source="new_rows"), INSERT_MATCH.format(source="new_rows")],
    ),
    "search_match_delete": ("DELETE", "OLD TABLE AS old_rows", [lean.DELETE_MATCH]),
}


def _drop_triggers(schema_editor, triggers):
    for name in triggers:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON search_searchdocument")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _create_triggers(schema_editor, triggers):
    for name, (event, tables, body) in triggers.items():
        schema_editor.execute(
            f"""CREATE FUNCTION {name}() RETURNS trigger AS $$
                BEGIN {"; ".join(body)}; RETURN NULL; END $$ LANGUAGE plpgsql"""
        )
        schema_editor.execute(
            f"""CREATE TRIGGER {name} AFTER {event} ON search_searchdocument
                REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"""
        )


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _drop_triggers(schema_editor, lean.TRIGGERS)
    schema_editor.execute(
        "INSERT INTO search_searchbucket (language, acl, facets) "
        "SELECT DISTINCT language, acl, facets FROM search_searchmatch ORDER BY 1, 2, 3"
    )
    schema_editor.execute(
        "UPDATE search_searchmatch m SET bucket = b.id FROM search_searchbucket b "
        "WHERE b.language = m.language AND b.acl = m.acl AND b.facets = m.facets"
    )
    # With few visible buckets (someone not signed in), the planner combines this with the
    # text index and reads only the rows both allow.
    schema_editor.execute("CREATE INDEX search_match_bucket ON search_searchmatch (bucket)")
    _create_triggers(schema_editor, TRIGGERS)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _drop_triggers(schema_editor, TRIGGERS)
    schema_editor.execute(
        "UPDATE search_searchmatch m SET language = b.language, acl = b.acl, facets = b.facets "
        "FROM search_searchbucket b WHERE b.id = m.bucket"
    )
    schema_editor.execute(
        "INSERT INTO search_searchaccess (acl) SELECT DISTINCT acl FROM search_searchbucket "
        "ORDER BY acl ON CONFLICT DO NOTHING"
    )
    schema_editor.execute("CREATE INDEX search_match_acl ON search_searchmatch (acl)")
    _create_triggers(schema_editor, lean.TRIGGERS)


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0006_lean_match"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchBucket",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("language", models.CharField(max_length=8)),
                ("acl", models.TextField()),
                ("facets", models.TextField()),
            ],
            options={
                "default_permissions": (),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("language", "acl", "facets"), name="search_bucket_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="searchmatch",
            name="bucket",
            field=models.IntegerField(default=0),
            preserve_default=False,
        ),
        # Nullable before they go, so that going back can add them to a filled table.
        migrations.AlterField(model_name="searchmatch", name="language", field=models.CharField(max_length=8, null=True)),
        migrations.AlterField(model_name="searchmatch", name="acl", field=models.TextField(null=True)),
        migrations.AlterField(model_name="searchmatch", name="facets", field=models.TextField(null=True)),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="searchmatch", name="language"),
        migrations.RemoveField(model_name="searchmatch", name="acl"),
        migrations.RemoveField(model_name="searchmatch", name="facets"),
        migrations.DeleteModel(name="SearchAccess"),
    ]
