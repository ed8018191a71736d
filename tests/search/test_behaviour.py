"""What a person finds: French-aware matching, facets, dates, pages, languages.

Runs on every backend of ``BACKENDS`` (see conftest): the database of this run, and
Elasticsearch when ELASTICSEARCH_URL is set.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from search.services import run_search, suggest
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def titles(page):
    return [hit.title for hit in page.hits]


def test_accents_are_optional(search_backend, make_page, member):
    make_page("Accompagner une élève étrangère", "Les élèves inscrites à l'école secondaire.")
    make_page("Sans rapport", "Rien à voir.")
    assert titles(run_search(member, {"q": "eleve"})) == ["Accompagner une élève étrangère"]
    assert titles(run_search(member, {"q": "ÉLÈVE etrangere"})) == ["Accompagner une élève étrangère"]


def test_plural_and_singular_find_each_other(search_backend, make_page, member):
    make_page("Nos formations", "Des formations pour les intervenantes.")
    make_page("Autre page", "Une formation unique sur le permis.")
    assert set(titles(run_search(member, {"q": "formation"}))) == {"Nos formations", "Autre page"}
    assert "Nos formations" in titles(run_search(member, {"q": "formations"}))


def test_every_word_must_match_and_phrases_stay_together(search_backend, make_page, member):
    make_page("Permis de travail ouvert", "Le permis de travail ouvert permet de changer d'employeur.")
    make_page("Travail et permis", "Un travail sans permis de conduire.")
    assert set(titles(run_search(member, {"q": "permis travail"}))) == {
        "Permis de travail ouvert",
        "Travail et permis",
    }
    assert titles(run_search(member, {"q": '"travail ouvert"'})) == ["Permis de travail ouvert"]


def test_title_matches_rank_first_and_excerpt_is_highlighted(search_backend, make_page, member):
    make_page("Une page", "On y parle du parrainage, brièvement.")
    make_page("Le parrainage collectif", "Tout sur le sujet.")
    result = run_search(member, {"q": "parrainage"})
    assert titles(result)[0] == "Le parrainage collectif"
    assert "<mark>parrainage</mark>" in result.hits[1].excerpt_html
    assert "<mark>parrainage</mark>" in result.hits[0].title_html


def test_user_text_is_escaped_in_results(search_backend, make_page, member):
    make_page("Balises <b>gras</b>", "Texte <script>alert(1)</script> asile")
    hit = run_search(member, {"q": "asile"}).hits[0]
    assert "<script>" not in hit.excerpt_html
    assert "<b>" not in hit.title_html


def test_kind_facet_counts_and_filters(search_backend, make_page, member):
    from search.indexing import index_now
    from search.providers import registry
    from tcri_site.reference.models import MigrationStatus

    status = MigrationStatus.objects.create(
        name_fr="Demandeur·euse d'asile", slug="da-test", description_fr="Personne qui demande l'asile."
    )
    index_now(registry.get("reference.migrationstatus").source, status.pk)
    make_page("L'asile au Québec", "Guide de l'asile.")
    result = run_search(member, {"q": "asile"})
    assert result.total == 2
    kinds = {f.value: f.count for f in result.facets["kind"]}
    assert kinds == {"page": 1, "status": 1}
    only_status = run_search(member, {"q": "asile", "type": ["status"]})
    assert titles(only_status) == ["Demandeur·euse d'asile"]
    # Disjunctive counts: choosing a type still shows how many of the other type exist.
    assert {f.value: f.count for f in only_status.facets["kind"]} == {"page": 1, "status": 1}
    status_facet = {f.value: f for f in result.facets["status"]}
    assert status_facet["da-test"].count == 1
    assert "asile" in status_facet["da-test"].label


def test_volet_facet_from_migration_statuses(search_backend, member):
    from search.indexing import index_now
    from tcri_site.members.models import Volet
    from tcri_site.reference.models import MigrationStatus

    rpce = MigrationStatus.objects.create(name_fr="Réfugié pris en charge", slug="rpce-t")
    rpce.volets.set(Volet.objects.filter(number=3))
    da = MigrationStatus.objects.create(name_fr="Réfugié demandeur", slug="da-t")
    da.volets.set(Volet.objects.filter(number__in=[3, 4]))
    for status in (rpce, da):
        index_now("reference.migrationstatus", status.pk)
    result = run_search(member, {"q": "refugie"})
    assert {f.value: f.count for f in result.facets["volet"]} == {"3": 2, "4": 1}
    assert titles(run_search(member, {"q": "refugie", "volet": "4"})) == ["Réfugié demandeur"]


def test_date_range(search_backend, make_page, member):
    old = make_page("Ancienne note sur l'asile", "asile")
    make_page("Nouvelle note sur l'asile", "asile")
    old.last_published_at = timezone.now() - timedelta(days=400)
    with_date = old.save_revision()
    with_date.publish()
    # publish() stamps a fresh date: set it afterwards, then reindex the page.
    type(old).objects.filter(pk=old.pk).update(last_published_at=timezone.now() - timedelta(days=400))
    from search.indexing import index_now

    index_now("wagtailcore.page", old.pk)
    since = (timezone.localdate() - timedelta(days=30)).isoformat()
    assert titles(run_search(member, {"q": "asile", "du": since})) == ["Nouvelle note sur l'asile"]
    until = (timezone.localdate() - timedelta(days=300)).isoformat()
    assert titles(run_search(member, {"q": "asile", "au": until})) == ["Ancienne note sur l'asile"]


def test_sort_by_date_and_pagination(search_backend, make_page, member):
    for i in range(23):
        make_page(f"Fiche asile {i:02d}", "asile", slug=f"fiche-{i}")
    first = run_search(member, {"q": "asile", "tri": "date"})
    assert first.total == 23 and len(first.hits) == 20 and first.num_pages == 2
    second = run_search(member, {"q": "asile", "tri": "date", "page": "2"})
    assert len(second.hits) == 3
    assert not set(titles(first)) & set(titles(second))
    assert titles(first)[0] == "Fiche asile 22"  # newest first
    beyond = run_search(member, {"q": "asile", "page": "9999"})
    assert beyond.page == 2 and len(beyond.hits) == 3


def test_browsing_by_filter_without_words(search_backend, make_page, member):
    make_page("Une page", "texte")
    result = run_search(member, {"type": "page"})
    assert result.searched and "Une page" in titles(result)


def test_language_of_the_interface(search_backend, home, make_page, member):
    from django.utils import translation

    make_page("Page française asile", "asile")
    en_home = home.copy_for_translation(__import__("wagtail.models", fromlist=["Locale"]).Locale.objects.get(language_code="en"))
    en_home.save_revision().publish()
    assert titles(run_search(member, {"q": "asile"}, language="fr")) == ["Page française asile"]
    with translation.override("en"):
        assert titles(run_search(member, {"q": "asile"})) == []


def test_a_translated_page_is_found_once_in_each_language(
    search_backend, home, make_page, member, django_capture_on_commit_callbacks
):
    """A wagtail-localize translation is indexed in its own language: a French search never
    shows the English copy, an English search never the French original."""
    from django.utils import translation
    from wagtail.models import Locale

    from tcri_site.translations import translate_page

    en = Locale.objects.get(language_code="en")
    page = make_page("Accueil des demandeurs d'asile", "asile et hébergement")
    with django_capture_on_commit_callbacks(execute=True):
        if not home.has_translation(en):
            translate_page(home, en, {"title": "Home"})
        translate_page(page, en, {"title": "Welcoming asylum claimants", "body": [("paragraph", "<p>asylum and housing</p>")]})
    assert titles(run_search(member, {"q": "asile"}, language="fr")) == ["Accueil des demandeurs d'asile"]
    assert titles(run_search(member, {"q": "asylum"}, language="fr")) == []
    with translation.override("en"):
        assert titles(run_search(member, {"q": "asylum"})) == ["Welcoming asylum claimants"]
        assert titles(run_search(member, {"q": "asile"})) == []


def test_suggestions_match_title_prefixes(search_backend, make_page, member):
    make_page("Régularisation des statuts", "texte")
    make_page("Autre chose", "régularisation dans le texte seulement")
    assert [s.title for s in suggest(member, "regul")] == ["Régularisation des statuts"]
    assert [s.title for s in suggest(member, "Régularisation sta")] == ["Régularisation des statuts"]
    assert suggest(member, "*") == []


def test_one_search_per_person_role(search_backend, make_page, organisation):
    """Members of any role find the same workspace content."""
    from tcri_site.members.models import Role

    make_page("Guide commun", "asile")
    for role in (Role.MEMBRE, Role.DELEGUE, Role.SUBSTITUT):
        person = make_member(organisation, role) if role != Role.MEMBRE else make_member(organisation)
        assert titles(run_search(person, {"q": "asile"})) == ["Guide commun"]


def test_relevance_pages_with_two_facets_chosen(search_backend, make_page, member):
    """Each chosen facet narrows the page (all of them at once), the pages by relevance
    neither repeat nor skip a result, and every facet still counts the others' choices."""
    from search.indexing import index_now
    from tcri_site.members.models import Volet
    from tcri_site.reference.models import MigrationStatus

    for i in range(23):
        status = MigrationStatus.objects.create(name_fr=f"Réfugié statut {i:02d}", slug=f"st-{i}")
        status.volets.set(Volet.objects.filter(number=3 if i % 2 else 4))
        index_now("reference.migrationstatus", status.pk)
    make_page("Réfugié : la page", "refugie")  # another kind, no volet
    params = {"q": "refugie", "type": "status", "volet": "3"}
    first, second = run_search(member, params), run_search(member, {**params, "page": "2"})
    assert first.total == 11 and len(first.hits) == 11
    assert second.page == 1  # a page past the last one shows the last one
    assert all(title.startswith("Réfugié statut") for title in titles(first))
    assert {int(title[-2:]) % 2 for title in titles(first)} == {1}  # volet 3 only
    assert {f.value: f.count for f in first.facets["volet"]} == {"3": 11, "4": 12}
    assert {f.value: f.count for f in first.facets["kind"]} == {"status": 11}
    both = run_search(member, {"q": "refugie", "type": "status"})
    again = run_search(member, {"q": "refugie", "type": "status", "page": "2"})
    assert both.total == 23 and len(both.hits) == 20 and len(again.hits) == 3
    assert sorted(titles(both) + titles(again)) == sorted(f"Réfugié statut {i:02d}" for i in range(23))
