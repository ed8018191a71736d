"""Approval and instant run-off against small independent reference counts, known
examples, ties and withdrawals."""

from collections import Counter

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from advocacy import counting

CANDIDATES = st.lists(st.integers(min_value=1, max_value=500), min_size=1, max_size=6, unique=True)


@st.composite
def approval_election(draw):
    candidates = draw(CANDIDATES)
    seats = draw(st.integers(min_value=1, max_value=len(candidates)))
    ballots = draw(st.lists(st.lists(st.sampled_from(candidates), unique=True, max_size=seats), max_size=40))
    return candidates, seats, ballots


def reference_approval(ballots, candidates, seats):
    counts = Counter(dict.fromkeys(candidates, 0))
    counts.update(c for b in ballots for c in b)
    ordered = sorted(counts.values(), reverse=True)
    cutoff = ordered[seats - 1]
    sure = {c for c, n in counts.items() if n > cutoff}
    at_cutoff = {c for c, n in counts.items() if n == cutoff}
    if len(sure) + len(at_cutoff) <= seats:
        return sure | at_cutoff, set()
    return sure, at_cutoff


@settings(max_examples=300, deadline=None)
@given(approval_election())
def test_approval_matches_the_reference(election):
    candidates, seats, ballots = election
    result = counting.approval(ballots, candidates, seats)
    elected, tied = reference_approval(ballots, candidates, seats)
    assert set(result.elected) == elected
    assert set(result.tied) == tied
    assert len(result.elected) <= seats
    assert len(result.elected) + len(result.tied) >= min(seats, len(candidates))


@st.composite
def ranked_election(draw):
    candidates = draw(CANDIDATES)
    ballots = draw(st.lists(st.lists(st.sampled_from(candidates), unique=True, min_size=0, max_size=len(candidates)), max_size=40))
    return candidates, ballots


def reference_irv(ballots, candidates):
    """The winner, or None when a tie for last place would need a rule to break it."""
    remaining = set(candidates)
    while remaining:
        tops = [next(c for c in b if c in remaining) for b in ballots if any(c in remaining for c in b)]
        counts = Counter(dict.fromkeys(remaining, 0))
        counts.update(tops)
        leader, most = counts.most_common(1)[0]
        if tops and 2 * most > len(tops):
            return leader
        lowest = min(counts.values())
        losers = [c for c in remaining if counts[c] == lowest]
        if len(losers) > 1:
            return None
        remaining.discard(losers[0])
    return None


@settings(max_examples=300, deadline=None)
@given(ranked_election())
def test_instant_runoff_matches_the_reference_when_no_tie_needs_breaking(election):
    candidates, ballots = election
    expected = reference_irv(ballots, candidates)
    assume(expected is not None)
    result = counting.instant_runoff(ballots, candidates)
    assert result.elected == [expected]
    assert result.placed[0].candidate == expected
    # Every round counts each ballot at most once.
    assert all(sum(r["counts"].values()) <= len(ballots) for r in result.rounds)


@settings(max_examples=200, deadline=None)
@given(ranked_election())
def test_instant_runoff_always_ends_with_one_winner_or_a_stated_tie(election):
    candidates, ballots = election
    result = counting.instant_runoff(ballots, candidates)
    assert (len(result.elected) == 1 and not result.tied) or (not result.elected and len(result.tied) >= 1)
    assert sorted(p.candidate for p in result.placed) == sorted(candidates)


def test_the_tennessee_example_elects_knoxville_by_instant_runoff():
    m, n, c, k = "Memphis", "Nashville", "Chattanooga", "Knoxville"
    ballots = [[m, n, c, k]] * 42 + [[n, c, k, m]] * 26 + [[c, k, n, m]] * 15 + [[k, c, n, m]] * 17
    result = counting.instant_runoff(ballots, [m, n, c, k])
    assert result.elected == [k]
    assert [r["eliminated"] for r in result.rounds] == [[c], [n], []]
    assert result.rounds[-1]["counts"] == {m: 42, k: 58}


def test_an_elimination_tie_is_broken_by_the_earlier_round():
    # Round 1: a 4, b 3, c 2, d 2. c and d tie for last with no earlier round to tell them
    # apart, so both are eliminated; their ballots go to b, who wins round 2 with 7 of 11.
    ballots = [["a"]] * 4 + [["b"]] * 3 + [["c", "b"]] * 2 + [["d", "b"]] * 2
    result = counting.instant_runoff(ballots, ["a", "b", "c", "d"])
    assert result.rounds[0]["eliminated"] == ["c", "d"]
    assert result.elected == ["b"]


def test_a_perfect_tie_is_reported_not_decided():
    result = counting.instant_runoff([["a"], ["b"]], ["a", "b"])
    assert result.elected == [] and sorted(result.tied) == ["a", "b"]
    approval = counting.approval([["a"], ["b"], ["c"]], ["a", "b", "c"], seats=2)
    assert approval.elected == [] and sorted(approval.tied) == ["a", "b", "c"]


def test_a_withdrawn_candidate_is_skipped_on_the_ballots_that_name_them():
    # The service removes withdrawn candidates from the ballots before counting.
    ballots = [["w", "a"], ["w", "b"], ["w", "a"], ["b"], ["a", "w"]]
    standing = ["a", "b"]
    cleaned = [[c for c in b if c in standing] for b in ballots]
    assert counting.instant_runoff(cleaned, standing).elected == ["a"]
