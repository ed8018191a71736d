"""Content translated with wagtail-localize: the seeded English pages, a translation that goes
out of date when the French page changes, the translator's editor, pages and lists not yet
translated, and the language switch to a translated page."""

from io import StringIO

import pytest
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from tcri_site.home import seed as home_seed
from tcri_site.home.models import HomePage
from tcri_site.seeding import SeedContext
from tcri_site.translations import is_out_of_date, out_of_date_translations, translate_page
from trainings import seed as trainings_seed
from trainings.models import GlossaryPage, TrainingIndexPage, TrainingPage

NOTICE = "This page is not yet available in English; here is the French version."


@pytest.fixture
def en(db):
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def seeded(en):
    ctx = SeedContext(stdout=StringIO())
    home_seed.seed(ctx)
    return trainings_seed._pages(ctx, trainings_seed._status_objects())


@pytest.fixture
def translated(seeded, en):
    """The seeded training whose English translation the tests change."""
    return TrainingPage.objects.get(slug="csq-residence-permanente", locale__language_code="fr")


def _translation(page, locale) -> Translation:
    return Translation.objects.get(source__object_id=page.translation_key, target_locale=locale)


@pytest.mark.django_db
def test_the_seed_ships_english_translations_made_with_wagtail_localize(seeded, en):
    home_en = HomePage.objects.get(locale=en)
    glossary_en = GlossaryPage.objects.get(locale=en)
    index_en = TrainingIndexPage.objects.get(locale=en)
    trainings_en = TrainingPage.objects.filter(locale=en).order_by("title")
    assert [t.title for t in trainings_en] == ["From selection to citizenship: the CSQ and permanent residence", "Migration statuses: an overview"]
    assert home_en.title == "TCRI-PASI Workspace"
    assert glossary_en.title == "Glossary of migration statuses"
    assert index_en.title == "Trainings"
    for page in [home_en, glossary_en, index_en, *trainings_en]:
        assert page.live
        french = page.get_translation(Locale.objects.get(language_code="fr"))
        translation = _translation(french, en)
        total, done = translation.get_progress()
        assert total > 0 and done == total, page  # every segment has its English
        assert not is_out_of_date(translation)
    csq = trainings_en.get(slug="csq-permanent-residence")
    assert csq.summary.startswith("A TCRI training on the path from Québec selection")
    assert "Objectives" in [block.value for block in csq.body if block.block_type == "heading"]
    # What wagtail-localize synchronises rather than translates follows the French page.
    french = csq.get_translation(Locale.objects.get(language_code="fr"))
    assert set(csq.migration_statuses.all()) == set(french.migration_statuses.all())
    assert csq.duration_minutes == french.duration_minutes


@pytest.mark.django_db
def test_a_french_page_changed_after_its_translation_shows_as_out_of_date(
    translated, en, django_capture_on_commit_callbacks
):
    translation = _translation(translated, en)
    with override("en"):
        assert translation.get_status_display() == "Up to date"
    assert out_of_date_translations(en) == []

    translated.summary = "Formation révisée : les nouveaux délais de la demande d'asile."
    translated.save_revision().publish()

    translation.refresh_from_db()
    assert is_out_of_date(translation)
    with override("en"):
        assert translation.get_status_display() == "Waiting for translations"
    total, done = translation.get_progress()
    assert done == total - 1  # only the changed sentence waits
    assert out_of_date_translations(en) == [translation]
    # The English page keeps its published text until the translator publishes again.
    english = translated.get_translation(en)
    assert english.summary.startswith("A TCRI training on the path from Québec selection")

    # The translator translates the new segment and publishes: up to date again.
    segment = StringSegment.objects.get(source=translation.source, context__path="summary")
    StringTranslation.objects.create(
        translation_of=segment.string, locale=en, context=segment.context,
        data="Revised training: the new deadlines of an asylum claim.",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)  # what the editor's « Publish » does
    assert not is_out_of_date(translation)
    english.refresh_from_db()
    assert english.summary == "Revised training: the new deadlines of an asylum claim."


@pytest.mark.django_db
def test_a_source_read_before_the_last_publication_is_out_of_date(translated, en):
    """Even without the publication receiver (a page published by a migration, say), the
    comparison of dates tells that the source is behind the French page."""
    translation = _translation(translated, en)
    TranslationSource.objects.filter(pk=translation.source_id).update(
        last_updated_at=translated.last_published_at.replace(year=2000)
    )
    translation.refresh_from_db()
    assert is_out_of_date(translation)


@pytest.mark.django_db
def test_a_partial_translation_waits_for_its_missing_segments(training_index, en):
    page = TrainingPage(title="Parrainage collectif", summary="Le parrainage par un groupe.", duration_minutes=90)
    training_index.add_child(instance=page)
    page.save_revision().publish()
    translate_page(training_index, en, {"title": "Trainings"})
    english = translate_page(page, en, {"title": "Group sponsorship"})  # summary left in French
    assert english.title == "Group sponsorship"
    assert english.summary == "Le parrainage par un groupe."
    assert is_out_of_date(_translation(page, en))


@pytest.mark.django_db
def test_translators_get_the_segment_editor(client, translated, en, django_user_model):
    admin = django_user_model.objects.create_superuser(email="traduction@tcri.example", password="x-Secret-1234")
    client.force_login(admin)
    english = translated.get_translation(en)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[english.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="js-translation-editor"' in html  # the segment editor, not the plain page form
    assert "wagtail_localize/js/wagtail-localize.js" in html
    assert "From selection to citizenship: the CSQ and permanent residence" in html


@pytest.mark.django_db
def test_an_untranslated_page_shows_the_french_content_with_a_notice(client, seeded):
    french_public = TrainingPage.objects.get(slug="refugies-pris-en-charge-parraines", locale__language_code="fr")
    assert not french_public.has_translation(Locale.objects.get(language_code="en"))
    response = client.get(f"/en/formations/{french_public.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html
    assert '<html lang="en">' in html
    assert "Cas pratiques" in html  # the French text
    translated = client.get("/en/formations/csq-permanent-residence/").content.decode()
    assert NOTICE not in translated
    assert "From selection to citizenship: the CSQ and permanent residence" in translated


@pytest.mark.django_db
def test_english_lists_are_never_empty(client, seeded):
    catalogue = client.get("/en/formations/").content.decode()
    assert "No training matches this filter" not in catalogue
    # Translated trainings in English, the others in French, each once.
    assert "From selection to citizenship: the CSQ and permanent residence" in catalogue
    assert "De la sélection à la citoyenneté : CSQ et résidence permanente" not in catalogue
    assert "Réfugié·es pris en charge par l&#x27;État et parrainé·es" in catalogue
    assert catalogue.count('href="/en/formations/csq-permanent-residence/"') == 1
    glossary = client.get("/en/statuts-migratoires/").content.decode()
    assert "Glossary of migration statuses" in glossary
    assert "Permanent resident" in glossary  # the statuses' English names


@pytest.mark.django_db
def test_the_language_switch_goes_to_the_translated_page(client, translated):
    response = client.post(reverse("set_language"), {"language": "en", "next": f"/formations/{translated.slug}/"})
    assert response["Location"] == "/en/formations/csq-permanent-residence/"
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/en/formations/csq-permanent-residence/"})
    assert response["Location"] == f"/formations/{translated.slug}/"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response["Location"] == "/en/"
    assert "TCRI-PASI Workspace" in client.get("/en/").content.decode()


@pytest.mark.django_db
def test_staff_may_translate_and_members_may_not(organisation):
    from tcri_site.members.models import Role, StaffRole
    from tests.factories import make_member, make_staff

    assert make_staff(StaffRole.PROJECT_LEAD).has_perm("wagtail_localize.submit_translation")
    assert not make_member(organisation, Role.MEMBRE).has_perm("wagtail_localize.submit_translation")


@pytest.mark.django_db
def test_staff_groups_bring_back_the_permissions_only_a_migration_made():
    """wagtail-localize's "submit_translation" (and Wagtail's "access_admin") come from data
    migrations: after a flush (transactional tests) ``ensure_staff_groups`` makes them again."""
    from django.contrib.auth.models import Permission

    from tcri_site.members.models import StaffRole
    from tcri_site.members.roles import ensure_staff_groups
    from tests.factories import make_staff

    Permission.objects.filter(codename__in=["submit_translation", "access_admin"]).delete()
    ensure_staff_groups()
    lead = make_staff(StaffRole.PROJECT_LEAD)
    assert lead.has_perm("wagtail_localize.submit_translation") and lead.has_perm("wagtailadmin.access_admin")
