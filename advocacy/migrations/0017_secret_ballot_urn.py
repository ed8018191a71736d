"""Secret motions: who voted (SecretParticipation) and the urn (SecretChoice), kept apart.

The ballots already stored for secret motions are split the same way (who voted keeps the
organisation, person and channel, its time becomes the migration's; the choices go to the
urn in random order with random ids) and the linked Ballot rows are deleted. Backups taken
before this migration still hold the link (docs/voting.md).
"""

import secrets
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def split_secret_ballots(apps, schema_editor):
    Ballot = apps.get_model("advocacy", "Ballot")
    Motion = apps.get_model("advocacy", "Motion")
    SecretParticipation = apps.get_model("advocacy", "SecretParticipation")
    SecretChoice = apps.get_model("advocacy", "SecretChoice")
    for motion_id in Motion.objects.filter(ballot_kind="secret").values_list("pk", flat=True):
        ballots = list(Ballot.objects.filter(motion_id=motion_id))
        if not ballots:
            continue
        SecretParticipation.objects.bulk_create(
            SecretParticipation(
                motion_id=motion_id, organisation_id=b.organisation_id, cast_by_id=b.cast_by_id, cast_by_role=b.cast_by_role,
                channel=b.channel, entered_by_id=b.entered_by_id,
            )
            for b in ballots
        )
        choices = sorted((b.choice for b in ballots), key=lambda _c: secrets.randbits(64))
        SecretChoice.objects.bulk_create(SecretChoice(id=uuid.uuid4(), motion_id=motion_id, choice=c) for c in choices)
        Ballot.objects.filter(motion_id=motion_id).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('advocacy', '0016_motion_online_vote'),
        ('members', '0003_role_codes_in_english'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SecretChoice',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('choice', models.CharField(choices=[('for', 'Pour'), ('against', 'Contre'), ('abstain', 'Abstention')], max_length=12, verbose_name='choix')),
                ('motion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='advocacy.motion')),
            ],
            options={
                'verbose_name': 'bulletin secret (urne)',
                'verbose_name_plural': 'bulletins secrets (urne)',
            },
        ),
        migrations.CreateModel(
            name='SecretParticipation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cast_by_role', models.CharField(blank=True, max_length=12)),
                ('channel', models.CharField(choices=[('online', 'En ligne'), ('paper', 'Bulletin papier'), ('phone', 'Par téléphone'), ('hands', 'À main levée')], default='online', max_length=8, verbose_name='canal')),
                ('cast_at', models.DateTimeField(auto_now_add=True)),
                ('cast_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('entered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('motion', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='secret_participations', to='advocacy.motion')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.organisation')),
            ],
            options={
                'verbose_name': 'participation à un vote secret',
                'verbose_name_plural': 'participations aux votes secrets',
                'ordering': ['organisation__name'],
                'constraints': [models.UniqueConstraint(fields=('motion', 'organisation'), name='one_secret_ballot_per_org_and_motion')],
            },
        ),
        migrations.RunPython(split_secret_ballots, migrations.RunPython.noop),
    ]
