"""Moving ``MigrationStatus`` from trainings to the reference foundation keeps everything.

Runs the real migrations backwards (to the layout before the move) and forwards again on
a database with rows: statuses, their volets and related statuses, a training page and a
staff group's permission that point at them. Same test on SQLite and PostgreSQL.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tcri_site.members.models import Volet
from tcri_site.reference.models import MigrationStatus
from tests.trainings.conftest import make_training
from trainings.models import TrainingPage

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _foreign_key_target(table: str, column: str) -> str | None:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    for constraint in constraints.values():
        if constraint["foreign_key"] and constraint["columns"] == [column]:
            return constraint["foreign_key"][0]
    return None


def test_the_re_export_is_the_same_model():
    from trainings.models import MigrationStatus as FromTrainings

    assert FromTrainings is MigrationStatus
    assert MigrationStatus._meta.app_label == "reference"
    assert MigrationStatus._meta.db_table == "reference_migrationstatus"


def test_migrating_back_and_forth_keeps_rows_relations_and_permissions(training_index):
    asylum = MigrationStatus.objects.create(name_fr="Demandeur·euse d'asile", slug="da")
    refugee = MigrationStatus.objects.create(name_fr="Réfugié·e", abbreviation="RP", slug="rp")
    asylum.volets.set(Volet.objects.filter(number__in=[2, 4]))
    asylum.related.add(refugee)
    page = make_training(training_index, statuses=[asylum, refugee])
    content_type = ContentType.objects.get_for_model(MigrationStatus)
    change = Permission.objects.get(content_type=content_type, codename="change_migrationstatus")
    editors = Group.objects.create(name="Éditeurs du glossaire")
    editors.permissions.add(change)

    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        _migrate([("reference", None)])
        tables = set(connection.introspection.table_names())
        assert {"trainings_migrationstatus", "trainings_migrationstatus_volets",
                "trainings_migrationstatus_related"} <= tables
        assert not {t for t in tables if t.startswith("reference_")}
        with connection.cursor() as cursor:
            cursor.execute("SELECT slug FROM trainings_migrationstatus ORDER BY slug")
            assert [row[0] for row in cursor.fetchall()] == ["da", "rp"]
            cursor.execute("SELECT app_label FROM django_content_type WHERE id = %s", [content_type.pk])
            assert cursor.fetchone()[0] == "trainings"
        assert _foreign_key_target(
            "trainings_trainingpage_migration_statuses", "migrationstatus_id"
        ) == "trainings_migrationstatus"
    finally:
        _migrate(leaves)
    ContentType.objects.clear_cache()

    tables = set(connection.introspection.table_names())
    assert {"reference_migrationstatus", "reference_migrationstatus_volets",
            "reference_migrationstatus_related"} <= tables
    assert not {t for t in tables if t.startswith("trainings_migrationstatus")}
    for table in ("trainings_trainingpage_migration_statuses", "advocacy_demand_migration_statuses"):
        assert _foreign_key_target(table, "migrationstatus_id") == "reference_migrationstatus"

    asylum = MigrationStatus.objects.get(slug="da")
    assert sorted(asylum.volets.values_list("number", flat=True)) == [2, 4]
    assert list(asylum.related.all()) == [MigrationStatus.objects.get(slug="rp")]
    assert sorted(TrainingPage.objects.get(pk=page.pk).migration_statuses.values_list("slug", flat=True)) == ["da", "rp"]
    assert ContentType.objects.get_for_model(MigrationStatus).pk == content_type.pk
    assert not ContentType.objects.filter(app_label="trainings", model="migrationstatus").exists()
    assert editors.permissions.filter(pk=change.pk, content_type_id=content_type.pk).exists()
    MigrationStatus.objects.create(name_fr="Travailleur·euse temporaire", slug="tet")  # ids still generated
