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
