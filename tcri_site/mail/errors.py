"""Refusals of the outbox."""

from django.utils.translation import gettext_lazy as _

from tcri_site.errors import InvalidState


class NotFailed(InvalidState):
    code = "mail_not_failed"
    message = _("Seul un courriel en échec peut être renvoyé.")
