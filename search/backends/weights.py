"""Type weights: relevance is text relevance times the weight of the result's type.

Text relevance already favours the title (FTS5's bm25 column weights 5:1, PostgreSQL's
``setweight`` A for titles, Elasticsearch's ``title^3``); multiplying by the type's weight
puts reference content whose title matches — a training, a migration status, an
implementation update — before the threads and messages that only mention the words.
Types not listed weigh 1. Kinds are strings: search imports no app.
"""

KIND_WEIGHTS = {
    "training": 5.0,  # the first reason members come: first among equals
    "status": 4.0,
    "update": 3.0,
    "page": 2.0,
    "demand": 2.0,
    "forum_session": 1.5,
    "session": 1.5,
    "thread": 1.2,
    "message": 1.0,
}


def kind_weight(kinds) -> float:
    """The weight of a document (or bucket) of these kinds."""
    return max((KIND_WEIGHTS.get(kind, 1.0) for kind in kinds), default=1.0)


def kind_weight_sql(column: str) -> tuple[str, list]:
    """``(CASE <column> WHEN 'training' THEN 4.0 … ELSE 1.0 END)`` and its parameters."""
    cases = " ".join("WHEN %s THEN %s" for _ in KIND_WEIGHTS)
    params = [value for kind, weight in KIND_WEIGHTS.items() for value in (kind, weight)]
    return f"(CASE {column} {cases} ELSE 1.0 END)", params
