"""Refusals of the privacy services."""

from django.utils.translation import gettext_lazy as _

from tcri_site.errors import Refusal


class PrivacyRefusal(Refusal):
    code = "privacy"


class AlreadyErased(PrivacyRefusal):
    status = 409
    code = "already_erased"
    message = _("Ce compte a déjà été effacé ; il n'y a plus rien à effacer.")


class EmailMismatch(PrivacyRefusal):
    code = "email_mismatch"
    message = _("L'adresse courriel saisie ne correspond pas à celle du compte.")
