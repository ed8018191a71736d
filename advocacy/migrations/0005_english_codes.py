"""Stored codes in English (labels unchanged), second step: the existing rows are converted,
both ways: the demands' states, the amendments', sessions', motions' and minutes' statuses,
thresholds, ballot kinds, results and choices."""

from django.db import migrations

# (model, field): {old French code: new English code}
CODES = {
    ("Demand", "state"): {
        "brouillon": "draft",
        "ordre_du_jour": "agenda",
        "au_vote": "vote",
        "adoptee": "adopted",
        "rejetee": "rejected",
        "retiree": "withdrawn",
        "transmise": "transmitted",
        "suivi": "follow_up",
    },
    ("Amendment", "status"): {
        "proposee": "proposed",
        "acceptee": "accepted",
        "adoptee": "adopted",
        "rejetee": "rejected",
        "retiree": "withdrawn",
    },
    ("ForumSession", "status"): {"prevue": "planned", "en_cours": "in_progress", "terminee": "ended"},
    ("Motion", "threshold"): {"deux_tiers": "two_thirds"},
    ("Motion", "ballot_kind"): {"appel": "roll_call"},
    ("Motion", "status"): {"en_attente": "pending", "ouvert": "open", "ferme": "closed"},
    ("Motion", "result"): {"adoptee": "adopted", "rejetee": "rejected", "sans_quorum": "no_quorum"},
    ("Ballot", "choice"): {"pour": "for", "contre": "against", "abstention": "abstain"},
    ("Minutes", "status"): {"brouillon": "draft", "publie": "published"},
}


def _convert(apps, backwards: bool) -> None:
    for (model_name, field), mapping in CODES.items():
        model = apps.get_model("advocacy", model_name)
        pairs = {new: old for old, new in mapping.items()} if backwards else mapping
        for old, new in pairs.items():
            model.objects.filter(**{field: old}).update(**{field: new})


def to_english(apps, schema_editor):
    _convert(apps, backwards=False)


def to_french(apps, schema_editor):
    _convert(apps, backwards=True)


class Migration(migrations.Migration):

    dependencies = [
        ('advocacy', '0004_english_code_choices'),
    ]

    operations = [
        migrations.RunPython(to_english, to_french),
    ]
