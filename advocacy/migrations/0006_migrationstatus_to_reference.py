"""Demands' migration statuses now point at ``reference.MigrationStatus``: state only.

Runs before trainings drops its copy of the model from the migration state.
"""

import modelcluster.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("advocacy", "0005_english_codes"),
        ("reference", "0001_migrationstatus_from_trainings"),
    ]
    run_before = [("trainings", "0003_migrationstatus_to_reference")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="demand",
                    name="migration_statuses",
                    field=modelcluster.fields.ParentalManyToManyField(
                        blank=True,
                        related_name="demands",
                        to="reference.migrationstatus",
                        verbose_name="statuts migratoires concernés",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
