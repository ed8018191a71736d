"""The dashboard's figures on the real demo data (``seed_demo``), recomputed independently."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from advocacy.figures import demands_by_state
from forum.figures import active_spaces
from tcri_site.dashboard.figures import organisations_without_delegate
from tcri_site.dashboard.periods import last_quarters, quarter_start
from trainings.figures import participation_by_region, participation_by_volet, upcoming_sessions

pytestmark = pytest.mark.django_db


def test_figures_match_the_demo_data(client, django_assert_max_num_queries):
    from advocacy.models import Demand, DemandState
    from forum.models import Message
    from tcri_site.members.models import Organisation, Role
    from trainings.models import Registration, RegistrationStatus, SessionStatus, TrainingSession

    call_command("seed_demo", stdout=io.StringIO())
    now = timezone.now()

    demands = {str(r[0]): r[1] for r in demands_by_state().rows}
    for value, label in DemandState.choices:
        assert demands[str(label)] == Demand.objects.filter(state=value).count()
    assert demands["Total"] == Demand.objects.count() > 0

    counted = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED, session__starts_at__lt=now
    ).exclude(session__status=SessionStatus.CANCELLED).exclude(attended=False)
    since = quarter_start(*last_quarters(timezone.localdate(now))[0])
    window = counted.filter(session__starts_at__gte=since)
    regions = participation_by_region(now=now)
    for row in regions.rows[:-1]:
        code = str(row[0])[:2]
        rows = window.filter(organisation__region=code) if code.isdigit() else window.filter(organisation__isnull=True)
        assert row[-1] == rows.count(), row
    assert regions.rows[-1][-1] == window.count() > 0

    volets = {str(r[0]): r[-1] for r in participation_by_volet(now=now).rows}
    for number in range(1, 6):
        assert volets[f"Volet {number}"] == window.filter(session__training__volets=number).count()

    upcoming = upcoming_sessions(now=now)
    planned = TrainingSession.objects.filter(status=SessionStatus.PLANNED, starts_at__gte=now)
    assert upcoming.total_rows == planned.count() > 0
    first = planned.order_by("starts_at", "pk").first()
    confirmed = first.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    assert upcoming.rows[0][3] == confirmed
    assert upcoming.rows[0][5] == f"{round(100 * confirmed / first.capacity)} %"

    without = organisations_without_delegate(limit=None)
    expected = [
        o.name
        for o in Organisation.objects.filter(is_active=True, pasi_participant=True).order_by("name")
        if not o.memberships.filter(role=Role.DELEGUE, is_active=True).exists()
    ]
    assert [row[0] for row in without.rows] == expected

    spaces = active_spaces(limit=None)
    recent_messages = Message.objects.filter(
        created_at__gte=now - timedelta(days=30), deleted_at__isnull=True, hidden_at__isnull=True,
        thread__space__is_active=True,
    ).count()
    assert sum(row[1] for row in spaces.rows) == recent_messages > 0

    from tcri_site.members.models import User

    client.force_login(User.objects.get(email="projet@demo.tcri.example"))
    with django_assert_max_num_queries(40):
        assert client.get(reverse("dashboard:index")).status_code == 200

