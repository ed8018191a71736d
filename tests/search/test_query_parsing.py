"""Reading what people type, and highlighting without ever trusting their text."""

from search.documents import MAX_QUERY_LENGTH, MAX_TERMS, fold, highlight, parse_query


def test_symbols_and_operators_are_not_words():
    for raw in ['*', '(', ':', '"', 'a', '""', '(((', 'AND OR NOT', '-', 'a:b']:
        query = parse_query(raw)
        assert all(w.isalnum() for w in query.all_words), raw


def test_quoted_phrases_are_kept_together():
    query = parse_query('permis "demandeur d\'asile" ouvert')
    assert query.phrases == [["demandeur", "d", "asile"]]
    assert query.terms == ["permis", "ouvert"]


def test_unbalanced_quote_is_harmless():
    query = parse_query('"permis de travail')
    assert query.terms == ["permis", "de", "travail"]
    assert query.phrases == []


def test_long_queries_are_cut_and_say_so():
    query = parse_query("asile " * 2000)
    assert query.truncated
    assert len(query.raw) > MAX_QUERY_LENGTH
    assert query.terms == ["asile"]
    many = parse_query(" ".join(f"mot{i}" for i in range(100)))
    assert len(many.terms) == MAX_TERMS


def test_fold_removes_accents_and_case():
    assert fold("Élève ÉTRANGÈRE") == "eleve etrangere"


def test_highlight_escapes_text_before_marking():
    text = '<script>alert("x")</script> une élève <b>formation</b>'
    html = highlight(text, parse_query("eleve formations"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>élève</mark>" in html
    assert "<mark>formation</mark>" in html
    assert "<b>" not in html


def test_highlight_markers_typed_by_a_user_cannot_forge_marks():
    html = highlight("texte \ue000faux\ue001 asile", parse_query("asile"))
    # The private-use markers are only produced by the highlighter itself; a document's text
    # has them removed at indexing (clean_text), and unbalanced ones are dropped.
    assert html.count("<mark>") == html.count("</mark>")


def test_excerpt_is_centred_on_the_first_match():
    text = "début " + "remplissage " * 60 + "le mot asile est ici " + "fin " * 60
    html = highlight(text, parse_query("asile"), length=120)
    assert "<mark>asile</mark>" in html
    assert html.startswith("… ")
    assert html.endswith(" …")


def test_decomposed_accents_stay_in_the_word():
    assert parse_query("e\u0301le\u0300ve").terms == ["élève"]
