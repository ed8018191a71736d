"""The refusals of the trainings services: one ``TrainingRefusal`` and its specific cases.

Each has a stable ``code`` (tests, logs) and a translated ``message`` shown as is; the HTTP
status comes from the foundation's kinds (``NotAllowed`` 403, ``InvalidState`` 409).
"""

from django.utils.translation import gettext_lazy as _

from tcri_site import errors


class TrainingRefusal(errors.Refusal):
    """A trainings service will not do what it was asked."""

    code = "training_refused"


class AlreadyRegistered(TrainingRefusal, errors.InvalidState):
    code = "already_registered"
    message = _("Cette personne est déjà inscrite à cette séance.")


class SessionFull(TrainingRefusal, errors.InvalidState):
    code = "session_full"
    message = _("La séance est complète. Vous pouvez vous inscrire sur la liste d'attente.")


class DeadlinePassed(TrainingRefusal, errors.InvalidState):
    code = "registration_deadline_passed"
    message = _("La date limite d'inscription est passée.")


class CancelDeadlinePassed(TrainingRefusal, errors.InvalidState):
    code = "cancel_deadline_passed"
    message = _(
        "La date limite est passée : l'inscription ne peut plus être annulée en ligne. "
        "Écrivez à la chargée de projet PASI."
    )


class SessionCancelled(TrainingRefusal, errors.InvalidState):
    code = "session_cancelled"
    message = _("Cette séance est annulée.")


class SessionClosed(TrainingRefusal, errors.InvalidState):
    code = "session_closed"
    message = _("Cette séance a déjà eu lieu.")


class SessionNotStarted(TrainingRefusal, errors.InvalidState):
    code = "session_not_started"
    message = _("Les présences s'enregistrent une fois la séance commencée.")


class NotAllowed(TrainingRefusal, errors.NotAllowed):
    """The foundation's ``NotAllowed`` (403, code ``forbidden``) for trainings."""

    code = "forbidden"
    message = _("Vous ne pouvez pas inscrire cette personne.")


class AlreadyCancelled(TrainingRefusal, errors.InvalidState):
    code = "already_cancelled"
    message = _("Cette inscription est déjà annulée.")


class AnswerRequired(TrainingRefusal, errors.InvalidInput):
    code = "answer_required"
    message = _("Répondez aux questions obligatoires pour vous inscrire.")


class InvalidAnswer(TrainingRefusal, errors.InvalidInput):
    code = "invalid_answer"
    message = _("Une réponse ne correspond pas aux choix proposés.")


class CheckinCodeUnknown(TrainingRefusal, errors.InvalidInput):
    code = "checkin_code_unknown"
    message = _("Ce code ne correspond à aucune séance. Vérifiez le code affiché par la formatrice ou le formateur.")


class CheckinClosed(TrainingRefusal, errors.InvalidState):
    code = "checkin_closed"
    message = _("La présence se note seulement pendant la séance.")


class NotRegisteredForCheckin(TrainingRefusal, errors.NotAllowed):
    code = "checkin_not_registered"
    message = _("Seules les personnes inscrites (inscription confirmée) à cette séance peuvent noter leur présence.")
