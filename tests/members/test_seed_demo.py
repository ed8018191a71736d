from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from tcri_site.members.models import Membership, Organisation, Region, Role, StaffRole, User

pytestmark = pytest.mark.django_db(transaction=True)


def counts() -> dict[str, int]:
    labels = ["members", "home", "trainings", "forum", "advocacy", "notifications", "wagtailcore"]
    return {
        model._meta.label: model.objects.count()
        for label in labels
        for model in apps.get_app_config(label).get_models()
    }


def test_seed_demo_is_complete_and_idempotent():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    assert Organisation.objects.count() >= 60
    assert Organisation.objects.values("region").distinct().count() == len(Region.choices)
    for number in range(1, 6):
        assert Organisation.objects.filter(volets__number=number).exists()
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists()
    for staff_role in StaffRole.values:
        assert User.objects.filter(groups__name=staff_role).exists()
    text = out.getvalue()
    for email in ["projet@demo.tcri.example", "delegue@demo.tcri.example", "membre@demo.tcri.example"]:
        assert email in text
    assert "[##############################]" in text  # a finished progress bar

    call_command("seed_demo", stdout=StringIO())
    second = counts()
    changed = {k: (first[k], second[k]) for k in first if first[k] != second[k]}
    # Revisions and logs may not grow either: a second run must create nothing.
    assert changed == {}


def test_scale_argument_is_checked():
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", "--scale", "0", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", "--scale", "beaucoup", stdout=StringIO())
