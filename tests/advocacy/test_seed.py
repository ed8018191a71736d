"""The demo data covers every stage, a past session with minutes and an upcoming one."""

import io

import pytest

from advocacy import seed as advocacy_seed
from advocacy.models import (
    Demand,
    DemandState,
    ForumSession,
    Minutes,
    MinutesStatus,
    MotionStatus,
    UpdateIndexPage,
    UpdatePage,
)
from tcri_site.home import seed as home_seed
from tcri_site.members import seed as members_seed
from tcri_site.seeding import SeedContext

pytestmark = pytest.mark.django_db


def test_seed_covers_every_state_and_is_idempotent():
    ctx = SeedContext(stdout=io.StringIO())
    members_seed.seed(ctx)
    home_seed.seed(ctx)
    advocacy_seed.seed(ctx)
    counts = (Demand.objects.count(), ForumSession.objects.count(), UpdatePage.objects.count())
    assert set(Demand.objects.values_list("state", flat=True)) == set(DemandState.values)
    past = ForumSession.objects.get(title=advocacy_seed.PAST_SESSION)
    assert past.minutes.status == MinutesStatus.PUBLISHED and "Résultat" in past.minutes.body
    upcoming = ForumSession.objects.get(title=advocacy_seed.NEXT_SESSION)
    assert upcoming.agenda_items.count() >= 4
    assert upcoming.motions.filter(status=MotionStatus.OPEN).count() == 1
    assert Demand.objects.filter(state=DemandState.CONSULTATION, comments__isnull=False).distinct().get().amendments.exists()
    index = UpdateIndexPage.objects.get(slug="suivi-de-l-implantation")
    assert index.get_parent().specific.locale.language_code == "fr"
    assert Demand.objects.first().get_workflow() is not None
    advocacy_seed.seed(ctx)
    assert (Demand.objects.count(), ForumSession.objects.count(), UpdatePage.objects.count()) == counts
    assert Minutes.objects.count() == 1
