"""Take over ``MigrationStatus`` from ``trainings`` without losing a row or a relation.

1. State only: create ``reference.MigrationStatus`` on the existing table
   ``trainings_migrationstatus`` (trainings' migration 0003 removes its own copy from the state).
2. Move the content type to ``reference`` so permissions, revisions, audit-log entries and
   search-index entries that point at it keep pointing at the same rows.
3. Rename the table (and its two many-to-many tables) to ``reference_*``. Foreign keys from
   the pages' and demands' link tables follow the rename on PostgreSQL and SQLite ≥ 3.26.
"""

import modelsearch.index
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="trainings", target="reference"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    old = ContentType.objects.using(db).filter(app_label=source, model="migrationstatus").first()
    if old is None:
        return
    if ContentType.objects.using(db).filter(app_label=target, model="migrationstatus").exists():
        return
    old.app_label = target
    old.save(update_fields=["app_label"])


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="reference", target="trainings")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0002_volets"),
        ("trainings", "0002_pages_sessions_registrations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MigrationStatus",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name_fr", models.CharField(max_length=200, unique=True, verbose_name="nom (français)")),
                        ("name_en", models.CharField(blank=True, max_length=200, verbose_name="nom (anglais)")),
                        ("abbreviation", models.CharField(blank=True, max_length=30, verbose_name="sigle")),
                        ("slug", models.SlugField(max_length=100, unique=True, verbose_name="identifiant")),
                        ("description_fr", models.TextField(blank=True, verbose_name="description (français)")),
                        ("description_en", models.TextField(blank=True, verbose_name="description (anglais)")),
                        ("services_fr", models.TextField(blank=True, verbose_name="services admissibles (français)")),
                        ("services_en", models.TextField(blank=True, verbose_name="services admissibles (anglais)")),
                        ("references", models.TextField(blank=True, verbose_name="références")),
                        ("related", models.ManyToManyField(blank=True, to="reference.migrationstatus", verbose_name="statuts apparentés")),
                        ("volets", models.ManyToManyField(blank=True, related_name="migration_statuses", to="members.volet", verbose_name="volets admissibles")),
                    ],
                    options={
                        "verbose_name": "statut migratoire",
                        "verbose_name_plural": "statuts migratoires",
                        "ordering": ["name_fr"],
                        "db_table": "trainings_migrationstatus",
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back, elidable=False),
        migrations.AlterModelTable(name="migrationstatus", table=None),
    ]
