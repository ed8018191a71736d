"""Role codes in English: "membre", "delegue", "substitut" become "member", "delegate",
"substitute" in memberships and invitations (labels unchanged). Reversible.

The partial unique constraints name the code in their condition: they are dropped before
the rows change and created again after, so no moment has two conditions to satisfy.
"""

from django.db import migrations, models

FRENCH_TO_ENGLISH = {"membre": "member", "delegue": "delegate", "substitut": "substitute"}


def _convert(apps, mapping):
    for model_name in ("Membership", "Invitation"):
        model = apps.get_model("members", model_name)
        for old, new in mapping.items():
            model.objects.filter(role=old).update(role=new)


def to_english(apps, schema_editor):
    _convert(apps, FRENCH_TO_ENGLISH)


def to_french(apps, schema_editor):
    _convert(apps, {new: old for old, new in FRENCH_TO_ENGLISH.items()})


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0002_volets'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='membership',
            name='one_active_delegate_per_org',
        ),
        migrations.RemoveConstraint(
            model_name='membership',
            name='one_active_substitute_per_org',
        ),
        migrations.AlterField(
            model_name='invitation',
            name='role',
            field=models.CharField(choices=[('member', 'Membre'), ('delegate', 'Délégué·e'), ('substitute', 'Substitut·e')], default='member', max_length=12, verbose_name='rôle'),
        ),
        migrations.AlterField(
            model_name='membership',
            name='role',
            field=models.CharField(choices=[('member', 'Membre'), ('delegate', 'Délégué·e'), ('substitute', 'Substitut·e')], default='member', max_length=12, verbose_name='rôle'),
        ),
        migrations.RunPython(to_english, to_french),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True), ('role', 'delegate')), fields=('organisation',), name='one_active_delegate_per_org', violation_error_message='Cet organisme a déjà un·e délégué·e actif·ve.'),
        ),
        migrations.AddConstraint(
            model_name='membership',
            constraint=models.UniqueConstraint(condition=models.Q(('is_active', True), ('role', 'substitute')), fields=('organisation',), name='one_active_substitute_per_org', violation_error_message='Cet organisme a déjà un·e substitut·e actif·ve.'),
        ),
    ]
