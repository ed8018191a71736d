"""The reader's language: sign-in from /en/ or the root, links to material pages, the
language switch on Wagtail pages and views, and pages not yet translated."""

from html import escape

import pytest
from django.urls import reverse
from wagtail.models import Locale

from tcri_site.members.models import Role
from tests.factories import make_member
from tests.trainings.conftest import make_session

PASSWORD = "motdepasse-test-123"


@pytest.fixture
def english(site_root, training_index):
    """The English home and index, as seeded (copies for translation, same slugs)."""
    en, _ = Locale.objects.get_or_create(language_code="en")
    home_en = site_root.specific.copy_for_translation(en)
    home_en.title = "Home"
    home_en.save_revision().publish()
    index_en = training_index.copy_for_translation(en)
    index_en.title = "Trainings"
    index_en.save_revision().publish()
    return en


@pytest.fixture
def french_reader(organisation):
    return make_member(organisation, Role.MEMBRE, language="fr")


@pytest.fixture
def english_profile(organisation):
    return make_member(organisation, Role.MEMBRE, language="en")


def _login(client, path, user, next_url=""):
    return client.post(path, {"username": user.email, "password": PASSWORD, "next": next_url})


@pytest.mark.django_db
def test_signing_in_from_en_stays_in_english_whatever_the_profile(client, english, french_reader, training):
    response = _login(client, "/en/comptes/connexion/", french_reader, "/en/seances/")
    assert response.status_code == 302
    assert response["Location"] == "/en/seances/"
    assert client.cookies["tcri_language"].value == "en"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="en">' in page.content.decode()


@pytest.mark.django_db
def test_signing_in_from_en_with_a_french_next_goes_to_its_english_address(client, english, french_reader, session):
    response = _login(client, "/en/comptes/connexion/", french_reader, f"/seances/{session.pk}/")
    assert response["Location"] == f"/en/seances/{session.pk}/"


@pytest.mark.django_db
def test_a_fresh_sign_in_from_the_root_follows_the_profile(client, english, english_profile, french_reader):
    response = _login(client, "/comptes/connexion/", english_profile, "/seances/")
    assert response["Location"] == "/en/seances/"
    client.logout()
    response = _login(client, "/comptes/connexion/", french_reader, "/seances/")
    assert response["Location"] == "/seances/"
    assert client.cookies["tcri_language"].value == "fr"


@pytest.mark.django_db
def test_the_read_link_of_an_english_session_page_stays_in_english(client, english, session):
    html = client.get(f"/en/seances/{session.pk}/").content.decode()
    assert f'href="/en/formations/{session.training.slug}/"' in html
    page = client.get(f"/en/formations/{session.training.slug}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert '<html lang="en">' in body
    assert "This page is not yet available in English" in body
    assert 'lang="fr"' in body  # the French content is marked as French
    assert escape(session.training.title) in body


@pytest.mark.django_db
def test_a_translated_material_page_is_served_in_english_even_under_another_slug(client, english, training):
    training_en = training.copy_for_translation(english)
    training_en.title = "Welcoming asylum claimants"
    training_en.slug = "welcoming-asylum-claimants"
    training_en.save_revision().publish()
    # The French slug under /en/ leads to the translation; its own slug too.
    for slug in (training.slug, training_en.slug):
        body = client.get(f"/en/formations/{slug}/").content.decode()
        assert "Welcoming asylum claimants" in body
        assert "This page is not yet available in English" not in body


@pytest.mark.django_db
def test_the_english_catalogue_lists_the_french_trainings_when_not_translated(client, english, training):
    body = client.get("/en/formations/").content.decode()
    assert "No training matches this filter" not in body
    assert escape(training.title) in body
    assert f'href="/en/formations/{training.slug}/"' in body


def _switch(client, next_url, language):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


@pytest.mark.django_db
def test_the_language_switch_leads_to_the_same_page_in_the_other_language(client, english, training, session):
    assert _switch(client, f"/seances/{session.pk}/", "en")["Location"] == f"/en/seances/{session.pk}/"
    assert _switch(client, f"/en/seances/{session.pk}/", "fr")["Location"] == f"/seances/{session.pk}/"
    assert _switch(client, "/en/seances/?statut=x", "fr")["Location"] == "/seances/?statut=x"
    assert _switch(client, f"/formations/{training.slug}/", "en")["Location"] == f"/en/formations/{training.slug}/"
    assert _switch(client, "/en/formations/", "fr")["Location"] == "/formations/"
    assert _switch(client, "/", "en")["Location"] == "/en/"
    assert _switch(client, "/en/", "fr")["Location"] == "/"


@pytest.mark.django_db
def test_the_language_switch_follows_a_translated_slug(client, english, training):
    training_en = training.copy_for_translation(english)
    training_en.slug = "welcoming-asylum-claimants"
    training_en.save_revision().publish()
    response = _switch(client, f"/formations/{training.slug}/", "en")
    assert response["Location"] == "/en/formations/welcoming-asylum-claimants/"
    response = _switch(client, "/en/formations/welcoming-asylum-claimants/", "fr")
    assert response["Location"] == f"/formations/{training.slug}/"
    assert client.cookies["tcri_language"].value == "fr"


@pytest.mark.django_db
def test_the_language_switch_refuses_another_site(client, english):
    response = _switch(client, "https://elsewhere.example/en/", "fr")
    assert response.status_code == 302
    assert "elsewhere" not in response["Location"]


@pytest.mark.django_db
def test_registration_e_mail_follows_the_profile_language(
    client, english, english_profile, mailoutbox, training, django_capture_on_commit_callbacks
):
    """Read in French, the e-mail still goes out in the person's profile language."""
    session = make_session(training)
    client.force_login(english_profile)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/seances/{session.pk}/inscription/")
    assert len(mailoutbox) == 1
    assert "Inscription confirmée" not in mailoutbox[0].subject
    assert "confirmed" in mailoutbox[0].subject.lower()


