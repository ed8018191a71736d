"""The project lead's dashboard: who may see it, what each figure says, CSV exports, and a
query count that does not grow with the data."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advocacy.figures import demands_by_state
from tcri_site.dashboard.figures import organisations_without_delegate
from tcri_site.dashboard.periods import last_quarters, quarter_label
from tcri_site.members.models import Region, Role
from tcri_site.spreadsheets import read_csv
from tests.dashboard.conftest import make_demand, make_session, make_training, register
from tests.factories import OrganisationFactory, make_member
from trainings.figures import (
    participation_by_month,
    participation_by_region,
    participation_by_volet,
    upcoming_sessions,
)

pytestmark = pytest.mark.django_db


def _rows(figure) -> dict:
    return {str(row[0]): row[1:] for row in figure.rows}


# --- access --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [
        (None, 302),
        ("outsider", 403),
        ("member", 403),
        ("delegate", 403),
        ("coordinator", 403),
        ("project_lead", 200),
        ("administrator", 200),
    ],
)
def test_only_tcri_staff_see_the_dashboard_and_its_exports(client, request, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("dashboard:index")).status_code == status
    assert client.get(reverse("dashboard:export", args=["revendications"])).status_code == status


def test_staff_see_the_dashboard_link_and_members_do_not(client, project_lead, member):
    client.force_login(project_lead)
    assert reverse("dashboard:index") in client.get(reverse("members:profile")).content.decode()
    client.force_login(member)
    assert reverse("dashboard:index") not in client.get(reverse("members:profile")).content.decode()


def test_unknown_export_is_404(client, project_lead):
    client.force_login(project_lead)
    assert client.get(reverse("dashboard:export", args=["nimporte-quoi"])).status_code == 404


# --- figures -------------------------------------------------------------------------


def test_demands_by_state_counts_every_state(organisation):
    from advocacy.models import DemandState

    make_demand("A", DemandState.ADOPTED, organisation)
    make_demand("B", DemandState.ADOPTED)
    make_demand("C", DemandState.CONSULTATION)
    rows = _rows(demands_by_state())
    assert rows["Adoptée"] == [2]
    assert rows["En consultation"] == [1]
    assert rows["Brouillon"] == [0]
    assert rows["Total"] == [3]


def _participation_data(training_index, now):
    """Registrations across two regions and two quarters, with every case that must not
    count: cancelled registration, noted absence, cancelled session, future session."""
    from trainings.models import RegistrationStatus, SessionStatus

    montreal = OrganisationFactory(region=Region.MONTREAL)
    estrie = OrganisationFactory(region=Region.ESTRIE)
    a, b = make_member(montreal), make_member(montreal)
    c = make_member(estrie)
    intro = make_training(training_index, "Introduction", volets=[1, 4])
    asile = make_training(training_index, "Asile", volets=[4])

    this_quarter = timezone.localtime(now).replace(day=1, hour=12, minute=0)
    quarters = last_quarters(timezone.localdate(now))
    y, q = quarters[-2]
    previous_quarter = timezone.make_aware(timezone.datetime(y, 3 * (q - 1) + 1, 15, 12))

    past = make_session(intro, start=this_quarter)
    if past.starts_at >= now:  # first day of the month, before noon: earlier that day
        midnight = this_quarter.replace(hour=0)
        past.starts_at = midnight + (now - midnight) / 2
        past.save()
    older = make_session(asile, start=previous_quarter)
    cancelled = make_session(asile, start=previous_quarter, status=SessionStatus.CANCELLED)
    future = make_session(asile, start=now + timedelta(days=5))

    register(past, a)
    register(past, b, attended=True)
    register(past, c)
    register(older, a)
    register(older, c, attended=False)  # absent: not counted
    register(older, b, status=RegistrationStatus.CANCELLED)  # cancelled: not counted
    register(cancelled, c)  # session cancelled: not counted
    register(future, a)  # has not happened yet: not counted
    return quarters


def test_participation_by_region_and_quarter(training_index, now):
    quarters = _participation_data(training_index, now)
    figure = participation_by_region(now=now)
    assert figure.columns[1:] == [*[quarter_label(*q) for q in quarters], "Total"]
    rows = _rows(figure)
    # [q1, q2, previous quarter, this quarter, total]
    assert rows["06 Montréal"] == [0, 0, 1, 2, 3]
    assert rows["05 Estrie"] == [0, 0, 0, 1, 1]
    assert rows["Total"] == [0, 0, 1, 3, 4]
    assert "Organisme inconnu" not in rows


def test_participation_by_volet_counts_a_training_in_each_of_its_volets(training_index, now):
    _participation_data(training_index, now)
    rows = _rows(participation_by_volet(now=now))
    assert rows["Volet 1"] == [0, 0, 0, 3, 3]  # "Introduction" (volets 1 and 4), this quarter
    assert rows["Volet 4"] == [0, 0, 1, 3, 4]  # plus "Asile" (volet 4), previous quarter
    assert rows["Volet 2"][-1] == 0


def test_participation_by_month(training_index, now):
    _participation_data(training_index, now)
    figure = participation_by_month(now=now)
    assert len(figure.rows) == 13  # twelve months and the total
    assert figure.rows[-1][1] == 4
    assert figure.rows[-2][1] == 3  # this month
    assert figure.bars[-1][1] == 3


def test_upcoming_sessions_with_fill_rates(training_index, now):
    from trainings.models import RegistrationStatus, SessionStatus

    training = make_training(training_index, "Séance pleine", volets=[2])
    full = make_session(training, start=now + timedelta(days=3), capacity=2)
    half = make_session(training, start=now + timedelta(days=6), capacity=4)
    make_session(training, start=now + timedelta(days=4), status=SessionStatus.CANCELLED)
    make_session(training, start=now - timedelta(days=4))
    org = OrganisationFactory()
    people = [make_member(org) for _ in range(5)]
    register(full, people[0])
    register(full, people[1])
    register(full, people[2], status=RegistrationStatus.WAITLISTED)
    register(half, people[3])
    register(half, people[4])
    register(half, people[0], status=RegistrationStatus.CANCELLED)

    figure = upcoming_sessions(now=now)
    assert figure.total_rows == 2
    assert [row[2:] for row in figure.rows] == [[2, 2, 1, "100 %"], [4, 2, 0, "50 %"]]
    assert figure.links == [full.get_absolute_url(), half.get_absolute_url()]


def test_organisations_without_delegate():
    with_delegate = OrganisationFactory(name="Avec délégué")
    make_member(with_delegate, Role.DELEGUE)
    only_substitute = OrganisationFactory(name="Substitut seulement")
    make_member(only_substitute, Role.SUBSTITUT)
    OrganisationFactory(name="Personne")
    OrganisationFactory(name="Inactif", is_active=False)
    OrganisationFactory(name="Hors PASI", pasi_participant=False)
    former = OrganisationFactory(name="Ancien délégué")
    gone = make_member(former, Role.DELEGUE)
    gone.active_membership.is_active = False
    gone.active_membership.save()

    figure = organisations_without_delegate()
    assert [(row[0], row[2]) for row in figure.rows] == [
        ("Ancien délégué", "non"),
        ("Personne", "non"),
        ("Substitut seulement", "oui"),
    ]
    assert figure.total_rows == 3


# --- page and CSV --------------------------------------------------------------------


def test_page_shows_charts_and_tables(client, project_lead, organisation):
    from advocacy.models import DemandState

    make_demand("A", DemandState.ADOPTED, organisation)
    client.force_login(project_lead)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert page.count('<figure class="bar-chart"') >= 4
    assert 'data-figure="revendications"' in page
    assert "<caption" in page and 'scope="col"' in page
    assert reverse("dashboard:export", args=["organismes-sans-delegue"]) in page


def test_csv_export_has_a_bom_and_the_same_numbers(client, project_lead, organisation):
    from advocacy.models import DemandState

    make_demand("A", DemandState.TRANSMITTED, organisation)
    client.force_login(project_lead)
    response = client.get(reverse("dashboard:export", args=["revendications"]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(raw)
    assert rows[0] == ["État", "Revendications"]
    assert ["Transmise au MIFI", "1"] in rows
    assert rows[-1] == ["Total", "1"]


def test_csv_export_has_every_row_and_neutralises_formulas(client, project_lead):
    for i in range(30):
        OrganisationFactory(name=f"Organisme {i:02d}")
    OrganisationFactory(name="=HYPERLINK(\"http://evil.example\")")
    client.force_login(project_lead)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "autres lignes dans l" in page  # the page shows 25, says how many more
    response = client.get(reverse("dashboard:export", args=["organismes-sans-delegue"]))
    rows = read_csv(response.content)
    assert len(rows) == 1 + 31
    assert ["'=HYPERLINK(\"http://evil.example\")"] == rows[1][:1]


def test_english_dashboard(client, project_lead):
    client.force_login(project_lead)
    page = client.get("/en" + reverse("dashboard:index")).content.decode()
    assert "Organisations without a delegate" in page
    # The apps' own figures are translated by their catalogues.
    assert "Demands by state" in page
    assert "Most active exchange spaces" in page
    assert "Fill rate" in page


# --- query count ---------------------------------------------------------------------


def _grow(training_index, now, n):
    from advocacy.models import DemandState

    orgs = [OrganisationFactory() for _ in range(n)]
    training = make_training(training_index, f"Formation {n}", volets=[1, 2])
    for i, org in enumerate(orgs):
        person = make_member(org)
        past = make_session(training, start=now - timedelta(days=10 + i))
        upcoming = make_session(training, start=now + timedelta(days=1 + i))
        register(past, person)
        register(upcoming, person)
        make_demand(f"Revendication {n}-{i}", DemandState.CONSULTATION, org)


def test_query_count_does_not_grow_with_data(client, project_lead, training_index, now, django_assert_max_num_queries):
    client.force_login(project_lead)
    _grow(training_index, now, 2)
    with django_assert_max_num_queries(30) as small:
        assert client.get(reverse("dashboard:index")).status_code == 200
    _grow(training_index, now, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("dashboard:index")).status_code == 200


def test_wagtail_admin_menu_links_to_the_dashboard(client, project_lead):
    client.force_login(project_lead)
    page = client.get("/admin/").content.decode()
    assert "Tableau de bord PASI" in page
    assert "/tableau-de-bord/" in page
