"""The forum's fixtures (a session with an open motion) reused by the privacy tests."""

from tests.advocacy.conftest import forum_session, make_orgs, open_motion  # noqa: F401, I001


import datetime  # noqa: E402

import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402


@pytest.fixture
def policy(db):
    """A live privacy policy, version 1, under the home page."""
    from tcri_site.home.models import HomePage
    from tcri_site.privacy.models import PrivacyPolicyPage

    cache.delete("privacy:current-version")
    page = HomePage.objects.first().add_child(
        instance=PrivacyPolicyPage(
            title="Politique de confidentialité", slug="politique-test", version=1,
            published_on=datetime.date(2026, 11, 1), body="<p>Texte français.</p>", body_en="<p>English text.</p>",
            officer_title="Responsable de la protection", officer_name="Odile Test-Responsable",
            officer_email="vie-privee@test.tcri.example", officer_phone="514 555-0100",
        )
    )
    page.save_revision().publish()
    yield page
    cache.delete("privacy:current-version")


from tests.trainings.conftest import asylum_status, site_root, training, training_index  # noqa: E402, F401


@pytest.fixture
def rich_person(open_motion, delegate, member, training):  # noqa: F811
    """The délégué·e with one of each record, and a colleague with records of their own."""
    from advocacy import services as advocacy_services
    from advocacy.models import Comment
    from forum.models import Space
    from forum.services import do_create_thread
    from tcri_site.notifications.models import Kind, Notification
    from tcri_site.privacy.models import PolicyAcceptance
    from tests.trainings.conftest import make_session
    from trainings.models import Registration

    delegate.first_name, delegate.last_name = "Zéphyrine", "Quatremains"
    delegate.save()
    space = Space.objects.create(name="Espace général", slug="general")
    do_create_thread(actor=delegate, space=space, title="Question de la déléguée", body="Bonjour, message de la déléguée.")
    do_create_thread(actor=member, space=space, title="Fil du collègue", body="Texte du collègue seulement.")
    session = make_session(training)
    Registration.objects.create(session=session, user=delegate, organisation=delegate.organisation, attended=True)
    Comment.objects.create(demand=open_motion.demand, author=delegate, organisation=delegate.organisation, body="Commentaire de la déléguée.")
    advocacy_services.do_cast_ballot(actor=delegate, motion=open_motion, choice="for")
    Notification.objects.create(recipient=delegate, kind=Kind.choices[0][0], title="Avis pour la déléguée")
    PolicyAcceptance.objects.create(user=delegate, version=1, language="fr")
    return delegate
