"""``MigrationStatus`` now belongs to ``tcri_site.reference``: state only, no table changes.

The pages' link table keeps its name and its ``migrationstatus_id`` column; reference's
migration 0001 renamed the table it points at.
"""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reference", "0001_migrationstatus_from_trainings"),
        ("trainings", "0002_pages_sessions_registrations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="trainingpage",
                    name="migration_statuses",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        related_name="trainings",
                        to="reference.migrationstatus",
                        verbose_name="statuts migratoires traités",
                    ),
                ),
                migrations.DeleteModel(name="MigrationStatus"),
            ],
            database_operations=[],
        ),
    ]
