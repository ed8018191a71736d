import io

import pytest

from forum import seed as forum_seed
from forum.models import Message, Space, Thread, ThreadEvent, Visibility
from tcri_site.members import seed as members_seed
from tcri_site.seeding import SeedContext

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_scales():
    ctx = SeedContext(stdout=io.StringIO(), scale=1)
    members_seed.seed(ctx)
    forum_seed.seed(ctx)
    counts = (Space.objects.count(), Thread.objects.count(), Message.objects.count())
    assert counts[0] == 8 and counts[2] > 40
    assert set(Space.objects.values_list("visibility", flat=True)) == set(Visibility.values)
    assert Space.objects.filter(volet__isnull=False).count() == 5
    forum_seed.seed(ctx)
    assert (Space.objects.count(), Thread.objects.count(), Message.objects.count()) == counts
    # every stored message has its event, with gap-free sequences
    for thread in Thread.objects.all():
        seqs = list(thread.events.values_list("seq", flat=True))
        assert seqs == list(range(1, thread.last_seq + 1))
    big = SeedContext(stdout=io.StringIO(), scale=2)
    forum_seed.seed(big)
    assert Message.objects.count() == counts[2] + forum_seed.BULK_PER_SCALE
    assert ThreadEvent.objects.count() == Message.objects.count()
    forum_seed.seed(big)
    assert Message.objects.count() == counts[2] + forum_seed.BULK_PER_SCALE
    assert "Historique des échanges" in big.stdout.getvalue()
