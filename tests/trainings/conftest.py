"""Fixtures for the trainings suite: a page tree, trainings, sessions."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from tcri_site.members.models import Volet
from trainings.models import (
    GlossaryPage,
    MigrationStatus,
    SessionFormat,
    SessionStatus,
    TrainingIndexPage,
    TrainingPage,
    TrainingSession,
)


@pytest.fixture
def site_root(db):
    Locale.objects.get_or_create(language_code="fr")
    return Page.objects.get(depth=2)


@pytest.fixture
def training_index(site_root):
    index = site_root.add_child(instance=TrainingIndexPage(title="Formations", slug="formations"))
    index.save_revision().publish()
    return index


@pytest.fixture
def glossary(site_root):
    page = site_root.add_child(instance=GlossaryPage(title="Glossaire", slug="statuts-migratoires"))
    page.save_revision().publish()
    return page


@pytest.fixture
def asylum_status(db):
    status = MigrationStatus.objects.create(
        name_fr="Demandeur·euse d'asile", name_en="Asylum claimant", slug="demandeur-asile",
        description_fr="Attend une décision.", description_en="Awaiting a decision.",
    )
    status.volets.set(Volet.objects.filter(number=4))
    return status


@pytest.fixture
def worker_status(db):
    return MigrationStatus.objects.create(
        name_fr="Travailleur·euse étranger·ère temporaire", name_en="Temporary foreign worker",
        abbreviation="TET", slug="tet",
    )


def make_training(index, title="Accueillir les demandeurs d'asile", statuses=(), volets=(4,), tags=("asile",)):
    training = TrainingPage(title=title, summary="Résumé de la formation.", duration_minutes=120)
    index.add_child(instance=training)
    training.migration_statuses.set(statuses)
    training.volets.set(Volet.objects.filter(number__in=volets))
    training.tags.set(list(tags))
    training.save_revision().publish()
    return TrainingPage.objects.get(pk=training.pk)


def make_session(training, *, days=10, capacity=5, status=SessionStatus.PLANNED, deadline_days=None, **kwargs):
    start = timezone.now() + timedelta(days=days)
    deadline = start - timedelta(days=1) if deadline_days is None else timezone.now() + timedelta(days=deadline_days)
    defaults = {
        "format": SessionFormat.ONLINE,
        "online_link": "https://visio.tcri.example/secret-room",
        "trainer": "Inès Forgeron",
    }
    defaults.update(kwargs)
    return TrainingSession.objects.create(
        training=training,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration_deadline=deadline,
        capacity=capacity,
        status=status,
        **defaults,
    )


@pytest.fixture
def training(training_index, asylum_status):
    return make_training(training_index, statuses=[asylum_status])


@pytest.fixture
def session(training):
    return make_session(training, capacity=2)
