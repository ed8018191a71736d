"""The trainings refusals follow the foundation's convention: a Refusal with a stable code."""

from tcri_site import errors
from trainings import services

SPECIFIC = [
    services.AlreadyRegistered,
    services.SessionFull,
    services.DeadlinePassed,
    services.CancelDeadlinePassed,
    services.SessionCancelled,
    services.SessionClosed,
    services.SessionNotStarted,
    services.NotAllowed,
    services.AlreadyCancelled,
]


def test_every_refusal_is_a_training_refusal_with_its_own_code():
    codes = [cls.code for cls in SPECIFIC]
    assert len(set(codes)) == len(codes)
    for cls in SPECIFIC:
        refusal = cls()
        assert isinstance(refusal, services.TrainingRefusal)
        assert isinstance(refusal, errors.Refusal)
        assert refusal.as_event() == {"type": "error", "code": cls.code, "message": str(cls.message)}


def test_not_allowed_is_the_foundation_not_allowed():
    refusal = services.NotAllowed()
    assert isinstance(refusal, errors.NotAllowed)
    assert (refusal.status, refusal.code) == (403, "forbidden")
    assert str(services.NotAllowed("Autre message")) == "Autre message"


def test_state_refusals_answer_409():
    for cls in SPECIFIC:
        if cls is not services.NotAllowed:
            assert cls.status == 409, cls
