"""Ballots remember the role of who cast them (``cast_by_role``): the same English codes as
members' roles since members 0003 ("delegue" -> "delegate", "substitut" -> "substitute").
Reversible.
"""

from django.db import migrations

FRENCH_TO_ENGLISH = {"membre": "member", "delegue": "delegate", "substitut": "substitute"}


def _convert(apps, mapping):
    Ballot = apps.get_model("advocacy", "Ballot")
    for old, new in mapping.items():
        Ballot.objects.filter(cast_by_role=old).update(cast_by_role=new)


def to_english(apps, schema_editor):
    _convert(apps, FRENCH_TO_ENGLISH)


def to_french(apps, schema_editor):
    _convert(apps, {new: old for old, new in FRENCH_TO_ENGLISH.items()})


class Migration(migrations.Migration):

    dependencies = [
        ("advocacy", "0006_migrationstatus_to_reference"),
        ("members", "0003_role_codes_in_english"),
    ]

    operations = [migrations.RunPython(to_english, to_french)]
