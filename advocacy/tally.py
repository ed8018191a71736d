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
