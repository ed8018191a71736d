"""The one refusal error of the project.

A service that will not do what it was asked raises a ``Refusal`` (or an app's subclass):
``code`` is stable (the WebSocket protocol, tests, logs use it), ``message`` is translated
and shown to the person as is, ``status`` is the HTTP status a view answers with. Views,
consumers, admin actions and commands catch ``Refusal`` and nothing else; whatever else
escapes is a bug.

Each app subclasses it once (``AdvocacyRefusal``, ``ForumRefusal``, ``TrainingRefusal``)
and names its specific refusals below that, with their default message and code.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class Refusal(Exception):
    """A refused action: a stable ``code``, a translated ``message``, an HTTP ``status``."""

    status: int = 400
    code: str = "refused"
    message = _("Cette action n'est pas possible.")

    def __init__(self, message=None, *, code: str | None = None, status: int | None = None):
        if message is not None:
            self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)

    def as_event(self) -> dict:
        """The ``error`` event a socket sends for this refusal."""
        return {"type": "error", "code": self.code, "message": str(self.message)}


class NotAllowed(Refusal):
    """The person may not do this (``rules`` said no)."""

    status = 403
    code = "forbidden"
    message = _("Vous n'avez pas le droit de faire cette action.")


class InvalidState(Refusal):
    """The object is not in a state where this can happen (closed, already done...)."""

    status = 409
    code = "invalid_state"
    message = _("Cette action n'est plus possible dans l'état actuel.")


class InvalidInput(Refusal):
    """What was sent does not make sense (missing field, unknown choice, too long...)."""

    status = 400
    code = "invalid_input"
    message = _("Les données envoyées ne sont pas valides.")


class NotFound(Refusal):
    status = 404
    code = "not_found"
    message = _("Cet élément n'existe pas ou n'est plus disponible.")
