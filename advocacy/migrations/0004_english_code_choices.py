"""Stored codes in English, first step: the fields take their new choices, and the length
``in_progress`` and ``roll_call`` need. The rows are converted by the next migration (on
PostgreSQL, a table cannot be altered in the transaction that just updated its rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('advocacy', '0003_agenda_approval_task'),
    ]

    operations = [
        migrations.AlterField(
            model_name='amendment',
            name='status',
            field=models.CharField(choices=[('proposed', 'Proposé'), ('accepted', 'Accepté par le proposeur'), ('adopted', "Adopté par l'assemblée"), ('rejected', 'Rejeté'), ('withdrawn', 'Retiré')], default='proposed', max_length=12, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='ballot',
            name='choice',
            field=models.CharField(choices=[('for', 'Pour'), ('against', 'Contre'), ('abstain', 'Abstention')], max_length=12, verbose_name='choix'),
        ),
        migrations.AlterField(
            model_name='demand',
            name='state',
            field=models.CharField(choices=[('draft', 'Brouillon'), ('consultation', 'En consultation'), ('agenda', "À l'ordre du jour"), ('vote', 'Au vote'), ('adopted', 'Adoptée'), ('rejected', 'Rejetée'), ('withdrawn', 'Retirée'), ('transmitted', 'Transmise au MIFI'), ('follow_up', 'Suivi')], db_index=True, default='draft', max_length=20, verbose_name='étape'),
        ),
        migrations.AlterField(
            model_name='forumsession',
            name='status',
            field=models.CharField(choices=[('planned', 'Prévue'), ('in_progress', 'En cours'), ('ended', 'Terminée')], default='planned', max_length=12, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='minutes',
            name='status',
            field=models.CharField(choices=[('draft', 'Brouillon'), ('published', 'Publié')], default='draft', max_length=10, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='motion',
            name='ballot_kind',
            field=models.CharField(choices=[('secret', 'Vote secret'), ('roll_call', 'Vote par appel nominal')], default='roll_call', max_length=12, verbose_name='type de vote'),
        ),
        migrations.AlterField(
            model_name='motion',
            name='result',
            field=models.CharField(blank=True, choices=[('adopted', 'Adoptée'), ('rejected', 'Rejetée'), ('no_quorum', 'Rejetée faute de quorum')], max_length=12, verbose_name='résultat'),
        ),
        migrations.AlterField(
            model_name='motion',
            name='status',
            field=models.CharField(choices=[('pending', 'Pas encore ouvert'), ('open', 'Ouvert'), ('closed', 'Fermé')], default='pending', max_length=12, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='motion',
            name='threshold',
            field=models.CharField(choices=[('simple', 'Majorité simple des voix exprimées'), ('two_thirds', 'Majorité des deux tiers des voix exprimées')], default='simple', max_length=12, verbose_name='majorité requise'),
        ),
    ]
