"""Vote arithmetic, kept free of the database so it can be tested exhaustively."""

from __future__ import annotations

from dataclasses import dataclass

from advocacy.models import Threshold


def quorum_required(total_organisations: int) -> int:
    """Default rule: a majority of the PASI organisations (more than half) present."""
    return total_organisations // 2 + 1 if total_organisations > 0 else 1


def quorum_met(present: int, total_organisations: int) -> bool:
    return present >= quorum_required(total_organisations)


@dataclass(frozen=True)
class Outcome:
    adopted: bool
    quorum_met: bool
    reason: str  # "adopted", "rejected" or "no_quorum"


def decide(
    *, pour: int, contre: int, abstention: int, threshold: str, present: int, total: int, required: int | None = None
) -> Outcome:
    """Decide a motion.

    Abstentions are not votes cast. A simple majority needs more votes for than against
    (a tie rejects); two-thirds needs 3·pour ≥ 2·(pour + contre). No vote cast rejects.
    Without quorum nothing is adopted. ``required`` overrides the default quorum rule.
    """
    if min(pour, contre, abstention, present, total) < 0:
        raise ValueError("counts cannot be negative")
    has_quorum = present >= required if required else quorum_met(present, total)
    if not has_quorum:
        return Outcome(False, False, "no_quorum")
    cast = pour + contre
    if cast == 0:
        adopted = False
    elif threshold == Threshold.TWO_THIRDS:
        adopted = 3 * pour >= 2 * cast
    else:
        adopted = pour > contre
    return Outcome(adopted, True, "adopted" if adopted else "rejected")


@dataclass(frozen=True)
class SecondMajority:
    """The second condition of a double majority, and what the result page says of it.

    ``kind`` is ``"regions"`` (a majority for in a majority of the regions represented) or
    ``"volets"`` (a majority for among the organisations funded under the demand's volets);
    ``pour`` and ``contre`` are the latter's counts.
    """

    kind: str
    held: bool
    with_majority: int
    represented: int
    pour: int = 0
    contre: int = 0


def majority_of_regions(by_region: dict[str, tuple[int, int]]) -> SecondMajority:
    """A region is represented when at least one of its organisations voted for or against;
    it is carried when more voted for than against. The condition holds when more than half
    of the represented regions are carried (none represented: it does not hold)."""
    represented = [r for r, (pour, contre) in by_region.items() if pour + contre > 0]
    carried = [r for r in represented if by_region[r][0] > by_region[r][1]]
    return SecondMajority("regions", 2 * len(carried) > len(represented) > 0, len(carried), len(represented))


def majority_of_volets(pour: int, contre: int) -> SecondMajority:
    """Among the organisations funded under the demand's volets: more for than against."""
    return SecondMajority("volets", pour > contre, int(pour > contre), int(pour + contre > 0), pour, contre)


def decide_double(outcome: Outcome, second: SecondMajority | None) -> Outcome:
    """The motion's outcome once its second majority, if any, is taken into account."""
    if second is None or not outcome.adopted or second.held:
        return outcome
    return Outcome(False, outcome.quorum_met, f"no_{second.kind}_majority")
