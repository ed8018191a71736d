"""Search fixtures: the backend under test, a site with pages, helpers that index on commit.

The behaviour suite runs on the database backend of the database in use (SQLite FTS5 in
CI's first run, PostgreSQL full text in its second) and, when ``ELASTICSEARCH_URL`` is set,
on Elasticsearch too. No Elasticsearch server exists on CI machines, so that parameter is
simply absent there (not skipped).
"""

import os

import pytest
from wagtail.models import Locale, Page, Site

from search import backends
from search.indexing import rebuild
from tcri_site.home.models import ContentPage, HomePage

BACKENDS = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


@pytest.fixture(params=BACKENDS)
def search_backend(request, settings):
    if request.param == "elasticsearch":
        settings.ELASTICSEARCH_URL = os.environ["ELASTICSEARCH_URL"]
        settings.ELASTICSEARCH_INDEX_PREFIX = "tcri-test"
    else:
        settings.ELASTICSEARCH_URL = ""
    backend = backends.get_backend()
    backend.clear()
    yield backend
    backend.clear()
    settings.ELASTICSEARCH_URL = ""
    backends.get_backend()


@pytest.fixture
def home(db):
    Locale.objects.get_or_create(language_code="fr")
    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale__language_code="fr").first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Accueil test", slug="accueil-test"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
    )
    return home


@pytest.fixture
def make_page(home, django_capture_on_commit_callbacks):
    """Create and publish a ContentPage under ``parent`` (home by default), indexed on commit."""

    def build(title, text="", parent=None, publish=True, slug=None):
        with django_capture_on_commit_callbacks(execute=True):
            page = (parent or home).add_child(
                instance=ContentPage(
                    title=title,
                    slug=slug or f"p-{ContentPage.objects.count() + 1}",
                    body=[("paragraph", f"<p>{text}</p>")] if text else [],
                    live=publish,
                )
            )
            if publish:
                page.save_revision().publish()
            else:
                page.save_revision()
        return page

    return build


@pytest.fixture
def reindex(search_backend):
    def run():
        return rebuild()

    return run
