"""Builders for dashboard data: trainings with sessions and registrations, demands."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from tcri_site.members.models import Volet


@pytest.fixture
def training_index(db):
    from trainings.models import TrainingIndexPage

    Locale.objects.get_or_create(language_code="fr")
    root = Page.objects.get(depth=2)
    index = root.add_child(instance=TrainingIndexPage(title="Formations", slug="formations-tdb"))
    return index


def make_training(index, title, volets):
    from trainings.models import TrainingPage

    page = TrainingPage(title=title, summary="Résumé.", duration_minutes=120)
    index.add_child(instance=page)
    page.volets.set(Volet.objects.filter(number__in=volets))
    page.save_revision().publish()
    return TrainingPage.objects.get(pk=page.pk)


def make_session(training, *, start, capacity=10, status=None):
    from trainings.models import SessionFormat, SessionStatus, TrainingSession

    return TrainingSession.objects.create(
        training=training,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=start - timedelta(days=1),
        capacity=capacity,
        status=status or SessionStatus.PLANNED,
        format=SessionFormat.ONLINE,
        online_link="https://visio.tcri.example/salle",
    )


def register(session, user, status=None, attended=None):
    from trainings.models import Registration, RegistrationStatus

    return Registration.objects.create(
        session=session,
        user=user,
        organisation=user.organisation,
        status=status or RegistrationStatus.CONFIRMED,
        attended=attended,
    )


def make_demand(title, state, organisation=None):
    from advocacy.models import Demand

    return Demand.objects.create(
        title=title, text="Texte.", state=state, proposing_organisation=organisation
    )


@pytest.fixture
def now():
    return timezone.now()
