"""Borda and dot voting against small independent reference counts, and known examples."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocacy import counting

CANDIDATES = st.lists(st.integers(min_value=1, max_value=10_000), min_size=2, max_size=7, unique=True)


def reference_borda(ballots, candidates):
    """A candidate's Borda score is how many candidates each ballot ranks below it."""
    return {c: sum(len(b) - 1 - b.index(c) for b in ballots) for c in candidates}


def reference_rank(scores):
    """Competition ranking: one more than the number of strictly better candidates."""
    return {c: 1 + sum(1 for other in scores.values() if other > s) for c, s in scores.items()}


@st.composite
def borda_election(draw):
    candidates = draw(CANDIDATES)
    ballots = draw(st.lists(st.permutations(candidates), max_size=30))
    return candidates, [list(b) for b in ballots]


@st.composite
def dots_election(draw):
    candidates = draw(CANDIDATES)
    budget = draw(st.integers(min_value=1, max_value=20))
    ballots = []
    for _ in range(draw(st.integers(min_value=0, max_value=20))):
        remaining, allocation = budget, {}
        for c in candidates:
            points = draw(st.integers(min_value=0, max_value=remaining))
            if points:
                allocation[c] = points
            remaining -= points
        ballots.append(allocation)
    return candidates, budget, ballots


@settings(max_examples=200, deadline=None)
@given(borda_election())
def test_borda_matches_the_reference(election):
    candidates, ballots = election
    placed = counting.borda(ballots, candidates)
    scores = reference_borda(ballots, candidates)
    ranks = reference_rank(scores)
    assert {p.candidate: p.score for p in placed} == scores
    assert {p.candidate: p.rank for p in placed} == ranks
    assert [p.score for p in placed] == sorted(scores.values(), reverse=True)
    for p in placed:
        assert p.tied == (list(scores.values()).count(p.score) > 1)
    # The points given out are fixed: n(n-1)/2 per ballot.
    n = len(candidates)
    assert sum(scores.values()) == len(ballots) * n * (n - 1) // 2


@settings(max_examples=200, deadline=None)
@given(dots_election())
def test_dots_match_the_reference(election):
    candidates, budget, ballots = election
    placed = counting.dots(ballots, candidates, budget)
    scores = {c: sum(b.get(c, 0) for b in ballots) for c in candidates}
    assert {p.candidate: p.score for p in placed} == scores
    assert {p.candidate: p.rank for p in placed} == reference_rank(scores)


def test_a_known_borda_example():
    # Four candidates, the classic "Tennessee capital" electorate (42/26/15/17 voters):
    # Borda picks Nashville (194), then Chattanooga (173), Memphis (126), Knoxville (107).
    memphis, nashville, chattanooga, knoxville = "M", "N", "C", "K"
    ballots = (
        [[memphis, nashville, chattanooga, knoxville]] * 42
        + [[nashville, chattanooga, knoxville, memphis]] * 26
        + [[chattanooga, knoxville, nashville, memphis]] * 15
        + [[knoxville, chattanooga, nashville, memphis]] * 17
    )
    placed = counting.borda(ballots, [memphis, nashville, chattanooga, knoxville])
    assert [(p.candidate, p.score) for p in placed] == [("N", 194), ("C", 173), ("M", 126), ("K", 107)]


def test_ties_share_a_rank_and_the_next_rank_skips():
    placed = counting.dots([{"a": 3, "b": 3, "c": 1}], ["a", "b", "c", "d"], budget=7)
    assert [(p.candidate, p.rank, p.tied) for p in placed] == [("a", 1, True), ("b", 1, True), ("c", 3, False), ("d", 4, False)]


@pytest.mark.parametrize(
    "ballot",
    [["a", "b"], ["a", "b", "b"], ["a", "b", "z"], []],
)
def test_a_borda_ballot_ranks_every_candidate_once(ballot):
    with pytest.raises(counting.InvalidBallot):
        counting.borda([ballot], ["a", "b", "c"])


@pytest.mark.parametrize("allocation", [{"a": 6}, {"a": -1}, {"z": 1}, {"a": 1.5}, {"a": True}])
def test_a_dots_ballot_stays_within_the_budget(allocation):
    with pytest.raises(counting.InvalidBallot):
        counting.dots([allocation], ["a", "b"], budget=5)
