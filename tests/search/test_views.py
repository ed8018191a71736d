"""The search page and suggestions over HTTP: bad input, languages, unavailability, queries."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/recherche/"


def test_url_name_and_prefix():
    assert reverse("search:search") == URL
    assert reverse("search:autocomplete") == "/recherche/suggestions/"


def test_empty_page_explains_what_to_do(client, search_backend):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Que cherchez-vous" in html
    assert 'role="search"' in html


@pytest.mark.parametrize(
    "params, message",
    [
        ({"q": "a"}, "au moins deux caractères"),
        ({"q": "x" * 10_000}, "trop longue"),
        ({"q": '"'}, None),
        ({"q": "*"}, "au moins deux caractères"),
        ({"q": "("}, "au moins deux caractères"),
        ({"q": ":"}, "au moins deux caractères"),
        ({"q": "***((("}, "aucun mot"),
        ({"q": "asile:(permis OR *"}, None),
        ({"q": "asile", "type": "inconnu"}, "Filtre inconnu ignoré"),
        ({"q": "asile", "volet": "9"}, "Filtre inconnu ignoré"),
        ({"q": "asile", "statut": "<script>"}, "Filtre inconnu ignoré"),
        ({"q": "asile", "espace": "abc"}, "Filtre inconnu ignoré"),
        ({"q": "asile", "du": "hier"}, "pas valide"),
        ({"q": "asile", "du": "2026-12-01", "au": "2026-01-01"}, "inversées"),
        ({"q": "asile", "page": "abc"}, None),
        ({"q": "asile", "page": "-4"}, None),
        ({"q": "asile", "page": "99999999999999999999"}, None),
        ({"q": "asile", "tri": "n'importe"}, None),
        ({"q": "\x00\ue000asile"}, None),
    ],
)
def test_bad_input_never_fails(client, member, search_backend, make_page, params, message):
    make_page("Guide de l'asile", "asile")
    client.force_login(member)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    if message:
        assert message in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_results_page_shows_highlights_facets_and_pages(client, member, search_backend, make_page):
    for i in range(22):
        make_page(f"Fiche d'accueil {i}", "Accueil des personnes réfugiées", slug=f"f{i}")
    client.force_login(member)
    html = client.get(URL, {"q": "refugiees"}).content.decode()
    assert "22 résultats" in html
    assert "<mark>réfugiées</mark>" in html
    assert 'name="type" value="page"' in html
    assert "Page 1 sur 2" in html and 'rel="next"' in html
    assert "q=refugiees&amp;page=2" in html
    html2 = client.get(URL, {"q": "refugiees", "page": 2}).content.decode()
    assert 'rel="prev"' in html2


def test_helpful_empty_state(client, member, search_backend, home):
    client.force_login(member)
    html = client.get(URL, {"q": "introuvable", "type": "page"}).content.decode()
    assert "Aucun résultat pour « introuvable »" in html
    assert "retirez les filtres" in html


def test_a_query_of_common_words_only_says_why_nothing_came_back(client, member, search_backend, home):
    client.force_login(member)
    html = client.get(URL, {"q": "eux toi"}).content.decode()
    assert "« eux toi » : des mots trop courants pour être cherchés seuls" in html
    html = client.get(URL, {"q": "eux qxzzy"}).content.decode()
    assert "trop courants" not in html  # one real word: the usual empty state
    assert "Aucun résultat pour « eux qxzzy »" in html


def test_english_interface(client, member, search_backend, home):
    client.force_login(member)
    html = client.get("/en/recherche/", {"q": "a"}).content.decode()
    assert '<html lang="en">' in html
    assert "Search" in html
    assert "at least two characters" in html


def test_header_box_on_every_page(client, home):
    html = client.get("/").content.decode()
    assert 'role="combobox"' in html
    assert reverse("search:autocomplete") in html


def test_autocomplete_json(client, member, search_backend, make_page):
    make_page("Régularisation humanitaire", "texte")
    client.force_login(member)
    data = client.get("/recherche/suggestions/", {"q": "regul"}).json()
    assert data["results"][0]["title"] == "Régularisation humanitaire"
    assert data["results"][0]["type_label"] == "Pages"
    for q in ["", "a", "*", "(", ":", '"', "x" * 10_000]:
        response = client.get("/recherche/suggestions/", {"q": q})
        assert response.status_code == 200
        assert json.loads(response.content)["results"] == []


def test_elasticsearch_down_says_so_and_site_still_works(client, member, settings, make_page):
    """ELASTICSEARCH_URL points at a closed port: search says it is unavailable, nothing breaks."""
    from search import backends

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    backends.get_backend()
    try:
        client.force_login(member)
        response = client.get(URL, {"q": "asile"})
        assert response.status_code == 503
        assert "momentanément indisponible" in response.content.decode()
        assert client.get("/recherche/suggestions/", {"q": "asile"}).status_code == 503
        # Saving content still works: indexing failures are logged, not raised.
        page = make_page("Publié pendant la panne", "texte")
        assert page.live
        assert client.get("/").status_code == 200
    finally:
        settings.ELASTICSEARCH_URL = ""
        backends.get_backend()


@pytest.mark.parametrize("size", [5, 30])
def test_bounded_number_of_queries(client, member, search_backend, make_page, django_assert_max_num_queries, size):
    for i in range(size):
        make_page(f"Fiche asile {i}", "asile", slug=f"a{i}")
    client.force_login(member)
    client.get(URL, {"q": "asile"})  # warm the session and content types
    with django_assert_max_num_queries(20):
        response = client.get(URL, {"q": "asile", "type": "page", "volet": "1"})
    assert response.status_code == 200
