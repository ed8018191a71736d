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
