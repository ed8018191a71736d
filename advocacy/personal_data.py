"""Comments, amendments, roll-call ballots cast for the organisation, candidacies, election
and priority ballots, attendance (privacy).

Ballots, attendance, co-signatures and minutes belong to the organisation: erasure leaves
them attributed to it (the account behind ``cast_by`` is anonymised, nothing is deleted).
Secret ballots are never exported with the person's name.
"""

from advocacy.models import (
    Amendment,
    Attendance,
    Ballot,
    BallotKind,
    Candidacy,
    Comment,
    Demand,
    ElectionParticipation,
    PriorityBallot,
    SecretParticipation,
)

SECTION = "advocacy"


def export(user) -> dict:
    return {
        "demands": [
            {"id": d.pk, "title": d.title, "state": d.state}
            for d in Demand.objects.filter(author=user).only("pk", "title", "state").order_by("pk")
        ],
        "comments": [
            {"demand": c.demand.title, "organisation": c.organisation.name if c.organisation else None, "body": c.body, "created_at": c.created_at}
            for c in Comment.objects.filter(author=user).select_related("demand", "organisation").order_by("pk")
        ],
        "amendments": [
            {"id": a.pk, "demand": a.demand.title, "proposed_text": a.proposed_text, "rationale": a.rationale, "status": a.status, "created_at": a.created_at}
            for a in Amendment.objects.filter(author=user).select_related("demand").order_by("pk")
        ],
        "roll_call_ballots": [
            {"motion": b.motion.title, "organisation": b.organisation.name, "choice": b.choice, "cast_at": b.cast_at}
            for b in Ballot.objects.filter(cast_by=user, motion__ballot_kind=BallotKind.ROLL_CALL).select_related("motion", "organisation").order_by("pk")
        ],
        # That the person voted for the organisation on a secret motion; never how.
        "secret_ballots": [
            {"motion": p.motion.title, "organisation": p.organisation.name, "cast_at": p.cast_at}
            for p in SecretParticipation.objects.filter(cast_by=user).select_related("motion", "organisation").order_by("pk")
        ],
        "candidacies": [
            {"election": c.election.title, "statement": c.statement, "submitted_at": c.submitted_at, "withdrawn_at": c.withdrawn_at}
            for c in Candidacy.objects.filter(person=user).select_related("election").order_by("pk")
        ],
        # That the person voted for the organisation; the choice only when the election was open.
        "election_ballots": [
            {"election": p.election.title, "organisation": p.organisation.name, "cast_at": p.cast_at, "choices": p.choices}
            for p in ElectionParticipation.objects.filter(cast_by=user).select_related("election", "organisation").order_by("pk")
        ],
        "priority_ballots": [
            {"prioritisation": b.prioritisation.title, "organisation": b.organisation.name, "content": b.content, "cast_at": b.cast_at}
            for b in PriorityBallot.objects.filter(cast_by=user).select_related("prioritisation", "organisation").order_by("pk")
        ],
        "attendances": [
            {"session": a.session.title, "organisation": a.organisation.name, "recorded_at": a.recorded_at}
            for a in Attendance.objects.filter(person=user).select_related("session", "organisation").order_by("pk")
        ],
    }
