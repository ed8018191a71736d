"""Counting methods beyond Pour / Contre / Abstention, free of the database.

- ``borda``: each ballot ranks every candidate; with *n* candidates the first gets *n − 1*
  points, the last 0. The forum ranks adopted demands with it (docs/voting.md says why:
  it always yields a full order, and its sums are easy to explain at a sitting).
- ``dots``: each ballot spreads at most ``budget`` points over the candidates.

Both return a ``Ranking``: candidates with their scores, best first, and their rank
("competition" ranking: two candidates tied for 2nd are both 2nd, the next is 4th). A tie
is reported as such, never broken by chance or by the order of the ids.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass


class InvalidBallot(ValueError):
    """A ballot that the method cannot count (the message says why, in English, for logs)."""


@dataclass(frozen=True)
class Placed:
    candidate: Hashable
    score: int
    rank: int
    tied: bool


def rank_scores(scores: Mapping[Hashable, int], order: Sequence[Hashable]) -> list[Placed]:
    """Best first; equal scores share a rank; ``order`` lists candidates within a tie."""
    position = {c: i for i, c in enumerate(order)}
    ordered = sorted(scores, key=lambda c: (-scores[c], position[c]))
    placed, rank = [], 0
    for index, candidate in enumerate(ordered):
        if index == 0 or scores[candidate] != scores[ordered[index - 1]]:
            rank = index + 1
        tied = sum(1 for s in scores.values() if s == scores[candidate]) > 1
        placed.append(Placed(candidate, scores[candidate], rank, tied))
    return placed


def check_ranking(ranking: Sequence[Hashable], candidates: Sequence[Hashable]) -> None:
    if len(ranking) != len(candidates) or set(ranking) != set(candidates):
        raise InvalidBallot("a Borda ballot ranks every candidate exactly once")


def borda(ballots: Iterable[Sequence[Hashable]], candidates: Sequence[Hashable]) -> list[Placed]:
    n = len(candidates)
    scores = dict.fromkeys(candidates, 0)
    for ranking in ballots:
        check_ranking(ranking, candidates)
        for position, candidate in enumerate(ranking):
            scores[candidate] += n - 1 - position
    return rank_scores(scores, candidates)


def check_allocation(allocation: Mapping[Hashable, int], candidates: Sequence[Hashable], budget: int) -> None:
    if set(allocation) - set(candidates):
        raise InvalidBallot("points given to an unknown candidate")
    if any(not isinstance(p, int) or isinstance(p, bool) or p < 0 for p in allocation.values()):
        raise InvalidBallot("points are whole numbers, zero or more")
    if sum(allocation.values()) > budget:
        raise InvalidBallot("more points than the budget")


def dots(ballots: Iterable[Mapping[Hashable, int]], candidates: Sequence[Hashable], budget: int) -> list[Placed]:
    scores = dict.fromkeys(candidates, 0)
    for allocation in ballots:
        check_allocation(allocation, candidates, budget)
        for candidate, points in allocation.items():
            scores[candidate] += points
    return rank_scores(scores, candidates)


# --- Elections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElectionResult:
    """``placed``: every candidate with their final score (approvals, or votes in the last
    round they took part in), best first. ``elected``: who holds a seat. ``tied``: the
    candidates tied for the last seat(s) when the count cannot choose between them (the
    forum's rules then decide: a new round or a draw, recorded by the chair). ``rounds``:
    for instant run-off, each round's counts and who was eliminated."""

    placed: list[Placed]
    elected: list[Hashable]
    tied: list[Hashable]
    rounds: list[dict]


def approval(ballots: Iterable[Iterable[Hashable]], candidates: Sequence[Hashable], seats: int) -> ElectionResult:
    """Each ballot approves at most ``seats`` candidates; the most approved take the seats."""
    scores = dict.fromkeys(candidates, 0)
    for ballot in ballots:
        chosen = set(ballot)
        if len(chosen) != len(list(ballot)) or chosen - set(candidates):
            raise InvalidBallot("an approval ballot names known candidates, each once")
        if len(chosen) > seats:
            raise InvalidBallot("more approvals than seats")
        for candidate in chosen:
            scores[candidate] += 1
    placed = rank_scores(scores, candidates)
    seats = min(seats, len(candidates))
    if seats == 0:
        return ElectionResult(placed, [], [], [])
    cutoff = placed[seats - 1].score
    above = [p.candidate for p in placed if p.score > cutoff]
    at_cutoff = [p.candidate for p in placed if p.score == cutoff]
    if len(above) + len(at_cutoff) <= seats:
        return ElectionResult(placed, above + at_cutoff, [], [])
    return ElectionResult(placed, above, at_cutoff, [])


def instant_runoff(ballots: Iterable[Sequence[Hashable]], candidates: Sequence[Hashable]) -> ElectionResult:
    """One seat. Each ballot ranks some candidates, best first. Each round counts every
    ballot for its highest-ranked continuing candidate; one with more than half of those
    counts wins; otherwise the lowest is eliminated. A tie for lowest is broken by the
    earlier rounds' counts (latest first); candidates still tied are eliminated together,
    unless that would eliminate everyone left: then they are tied for the seat."""
    ballots = [list(b) for b in ballots]
    for ballot in ballots:
        if len(set(ballot)) != len(ballot) or set(ballot) - set(candidates):
            raise InvalidBallot("a ranking names known candidates, each once")
    continuing = list(candidates)
    rounds: list[dict] = []
    final: dict = {}
    while continuing:
        counts = dict.fromkeys(continuing, 0)
        for ballot in ballots:
            top = next((c for c in ballot if c in counts), None)
            if top is not None:
                counts[top] += 1
        active = sum(counts.values())
        for c in continuing:
            final[c] = counts[c]
        round_ = {"counts": counts, "eliminated": []}
        rounds.append(round_)
        leader = max(continuing, key=lambda c: counts[c])
        if active and 2 * counts[leader] > active:
            return _runoff_result(candidates, final, rounds, [leader], [])
        if len(continuing) == 1:
            return _runoff_result(candidates, final, rounds, continuing if active else [], [] if active else continuing)
        lowest = min(counts.values())
        losers = [c for c in continuing if counts[c] == lowest]
        for earlier in reversed(rounds[:-1]):
            if len(losers) == 1:
                break
            fewest = min(earlier["counts"][c] for c in losers)
            losers = [c for c in losers if earlier["counts"][c] == fewest]
        if len(losers) == len(continuing):
            return _runoff_result(candidates, final, rounds, [], losers)
        round_["eliminated"] = losers
        continuing = [c for c in continuing if c not in losers]
    return _runoff_result(candidates, final, rounds, [], [])


def _runoff_result(candidates, final, rounds, elected, tied) -> ElectionResult:
    # Later-eliminated candidates place above earlier ones; within a round, by their count.
    out_round = {c: len(rounds) for c in candidates}
    for index, round_ in enumerate(rounds):
        for c in round_["eliminated"]:
            out_round[c] = index
    order = sorted(candidates, key=lambda c: (-(c in elected), -out_round[c], -final.get(c, 0)))
    placed, previous = [], None
    for index, c in enumerate(order):
        key = (c in elected, out_round[c], final.get(c, 0))
        rank = index + 1 if key != previous else placed[-1].rank
        previous = key
        placed.append(Placed(c, final.get(c, 0), rank, c in tied))
    return ElectionResult(placed, list(elected), list(tied), rounds)
