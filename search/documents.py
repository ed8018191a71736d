"""What providers hand to the index, how a query is read, and how excerpts are highlighted.

Pure Python, shared by every backend, so "eleve" is read and highlighted the same way
whether the database or Elasticsearch found the document.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Highlight markers: private-use characters, stripped from indexed text, so user text can
# never forge a <mark>. Backends that highlight natively (Elasticsearch) use them too; the
# text between them is escaped before they become HTML.
MARK_START = "\ue000"
MARK_END = "\ue001"

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
MIN_QUERY_LENGTH = 2
MAX_BODY_LENGTH = 20_000

FACET_NAMES = ("volet", "status", "space")

# Principal tokens every provider may use in ``SearchDoc.grants``.
PUBLIC = "public"  # anyone, signed in or not
AUTHENTICATED = "auth"  # any signed-in person
WORKSPACE = "workspace"  # staff of an active member organisation, or TCRI staff
PASI = "pasi"  # staff of a PASI participant organisation, or TCRI staff
STAFF = "staff"  # TCRI staff (chargé·e de projet, administrateur·rice)
SUPERUSER = "superuser"


def org(pk) -> str:
    return f"org:{pk}"


def user(pk) -> str:
    return f"user:{pk}"


def group(pk) -> str:
    return f"group:{pk}"


def space(pk) -> str:
    return f"space:{pk}"


_WORD = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ue000\ue001]")


def clean_text(text: str | None, limit: int = MAX_BODY_LENGTH) -> str:
    """Text fit for the index: no control or marker characters, collapsed spaces, bounded."""
    text = _CONTROL.sub(" ", text or "")
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit]


def fold(text: str) -> str:
    """Lower case without accents: what "eleve" and "élève" have in common."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Highlighting folds every word of every excerpt shown; the same words come back often.
_fold_word = functools.lru_cache(maxsize=4096)(fold)


@dataclass
class SearchDoc:
    """One document as a provider describes it."""

    kind: str
    title: str
    url: str
    body: str = ""
    date: datetime | None = None
    language: str = ""  # "" = shown whatever the interface language
    grants: set[str] = field(default_factory=set)
    facets: dict[str, set[str]] = field(default_factory=dict)

    def __post_init__(self):
        self.title = clean_text(self.title, 500) or "—"
        self.body = clean_text(self.body)
        self.facets = {
            name: {str(v) for v in values if str(v)}
            for name, values in self.facets.items()
            if name in FACET_NAMES
        }


@dataclass
class ParsedQuery:
    """The words and "quoted phrases" of what someone typed, with nothing else kept."""

    raw: str
    terms: list[str]
    phrases: list[list[str]]
    truncated: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.phrases

    @property
    def all_words(self) -> list[str]:
        return self.terms + [w for phrase in self.phrases for w in phrase]

    @property
    def text(self) -> str:
        return " ".join(self.all_words)


def parse_query(raw: str | None) -> ParsedQuery:
    """Read a query without ever failing: operators and symbols are simply not words.

    One-letter words are dropped ("l'asile" searches "asile"); at most ``MAX_TERMS`` words
    and ``MAX_QUERY_LENGTH`` characters are kept.
    """
    # NFC first: a decomposed "é" (e + combining accent) must stay one word.
    raw = unicodedata.normalize("NFC", raw or "").strip()
    truncated = len(raw) > MAX_QUERY_LENGTH
    text = raw[:MAX_QUERY_LENGTH]
    if truncated and " " in text:
        text = text.rsplit(" ", 1)[0]  # do not search half a word
    phrases: list[list[str]] = []
    budget = MAX_TERMS

    def words(chunk: str, min_length: int = MIN_QUERY_LENGTH) -> list[str]:
        return [w.lower() for w in _WORD.findall(chunk) if len(w) >= min_length]

    def take_phrase(match: re.Match) -> str:
        nonlocal budget
        # Inside quotes every word counts: "demandeur d'asile" is a phrase of three.
        phrase = words(match.group(1), 1)[:budget]
        if len([w for w in phrase if len(w) >= MIN_QUERY_LENGTH]) < 1:
            return " "
        budget -= len(phrase)
        if len(phrase) > 1:
            phrases.append(phrase)
            return " "
        return " " + " ".join(phrase) + " "

    rest = re.sub(r'"([^"]*)"', take_phrase, text)
    terms: list[str] = []
    for word in words(rest):
        if word not in terms and len(terms) < max(budget, 0):
            terms.append(word)
    return ParsedQuery(raw=raw, terms=terms, phrases=phrases, truncated=truncated)


def _roots(query: ParsedQuery) -> list[str]:
    """Approximate stems for highlighting: "formations" marks "formation" and "formateur"."""
    roots = []
    for word in query.all_words:
        folded = fold(word)
        roots.append(folded[: max(4, len(folded) - 2)] if len(folded) > 5 else folded)
    return roots


def highlight(text: str, query: ParsedQuery, length: int = 240, whole: bool = False) -> SafeString:
    """An escaped excerpt of ``text`` around the first matching word, matches in <mark>."""
    text = text or ""
    roots = _roots(query)
    matches = [
        m for m in _WORD.finditer(text) if roots and _fold_word(m.group()).startswith(tuple(roots))
    ]
    if whole or len(text) <= length:
        start, end = 0, len(text)
    else:
        first = matches[0].start() if matches else 0
        start = max(0, first - length // 3)
        if start:
            space_at = text.find(" ", start)
            start = space_at + 1 if 0 <= space_at < first else start
        end = min(len(text), start + length)
        if end < len(text):
            space_at = text.rfind(" ", start, end)
            end = space_at if space_at > start + length // 2 else end
    marked = []
    cursor = start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        marked.append(text[cursor : m.start()])
        marked.append(MARK_START + m.group() + MARK_END)
        cursor = m.end()
    marked.append(text[cursor:end])
    excerpt = "".join(marked)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return markers_to_html(prefix + excerpt + suffix)


def markers_to_html(marked: str) -> SafeString:
    """Escape everything, then turn the private-use markers into <mark> elements."""
    if marked.count(MARK_START) != marked.count(MARK_END):
        marked = marked.replace(MARK_START, "").replace(MARK_END, "")
    html = escape(marked).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped on the line above
