"""The refusals of the exchange spaces: ``ForumRefusal`` and its specific kinds.

Each carries the stable ``code`` of the WebSocket protocol (docs/websocket-protocol.md,
*Errors*), a translated message and the HTTP status a view answers with.
"""

from django.utils.translation import gettext_lazy as _

from tcri_site.errors import InvalidInput, InvalidState, NotAllowed, NotFound, Refusal


class ForumRefusal(Refusal):
    """Anything the exchange spaces refuse; ``ForumRefusal(message, code=...)`` for one-offs."""


class InvalidForumInput(ForumRefusal, InvalidInput):
    code = "missing_field"
    message = _("Champ manquant ou invalide.")


class MissingField(InvalidForumInput):
    code = "missing_field"

    def __init__(self, field: str | None = None, message=None):
        if message is None and field is not None:
            message = _("Champ manquant ou invalide : %(field)s.") % {"field": field}
        super().__init__(message)


class UnknownThread(ForumRefusal, NotFound):
    """Unknown or forbidden: the same answer, so nothing leaks."""

    code = "unknown_thread"
    message = _("Ce fil n'existe pas ou ne vous est pas accessible.")


class UnknownSpace(ForumRefusal, NotFound):
    code = "unknown_space"
    message = _("Cet espace n'existe pas ou ne vous est pas accessible.")


class UnknownMessage(ForumRefusal, NotFound):
    code = "unknown_message"
    message = _("Ce message n'existe pas.")


class Forbidden(ForumRefusal, NotAllowed):
    code = "forbidden"
    message = _("Vous n'avez pas la permission de faire cela.")


class ThreadLocked(ForumRefusal, InvalidState):
    code = "thread_locked"
    message = _("Ce fil est verrouillé : on ne peut plus y répondre.")


class NotSubscribed(ForumRefusal, InvalidInput):
    code = "not_subscribed"
    message = _("Abonnez-vous d'abord à ce fil.")


class RateLimited(ForumRefusal):
    status = 429
    code = "rate_limited"
    message = _("Vous envoyez trop de messages. Attendez quelques secondes puis réessayez.")
