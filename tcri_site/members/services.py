"""Inviting people and turning an invitation into an account: one place for both."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tcri_site.errors import Refusal
from tcri_site.mail.services import enqueue_email
from tcri_site.members.models import Invitation, Membership, Organisation, Role, User


class InvitationError(Refusal):
    """An invitation link that cannot be used; ``status`` is the HTTP status to answer."""

    code = "invitation_unusable"


class InvitationNotFound(InvitationError):
    status = 404
    code = "invitation_not_found"
    message = gettext_lazy(
        "Ce lien d'invitation n'est pas valide. Vérifiez qu'il est complet ou demandez "
        "une nouvelle invitation."
    )


class InvitationUsed(InvitationError):
    status = 410
    code = "invitation_used"
    message = gettext_lazy(
        "Ce lien d'invitation a déjà été utilisé. Connectez-vous avec votre adresse "
        "courriel, ou réinitialisez votre mot de passe."
    )


class InvitationExpired(InvitationError):
    status = 410
    code = "invitation_expired"
    message = gettext_lazy(
        "Ce lien d'invitation a expiré. Demandez à l'équipe de la TCRI de vous en "
        "envoyer un nouveau."
    )


class AccountAlreadyExists(InvitationError):
    status = 410
    code = "account_exists"
    message = gettext_lazy("Un compte existe déjà pour cette adresse courriel. Connectez-vous.")


class InvitationRefused(Refusal):
    """An invitation that may not be sent (address taken, role already filled...)."""

    status = 400
    code = "invitation_refused"


def check_may_invite(*, email: str, organisation: Organisation | None, role: str) -> None:
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationRefused(_("Une personne a déjà un compte avec cette adresse courriel."))
    if role in (Role.DELEGUE, Role.SUBSTITUT) and organisation is None:
        raise InvitationRefused(_("Un·e délégué·e ou substitut·e doit appartenir à un organisme."))
    if organisation is not None and role in (Role.DELEGUE, Role.SUBSTITUT):
        if organisation.memberships.filter(role=role, is_active=True).exists():
            raise InvitationRefused(
                _("%(org)s a déjà un·e %(role)s actif·ve.")
                % {"org": organisation.short_name, "role": Role(role).label}
            )


def invitation_url(token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("members:accept_invitation", kwargs={"token": token})
    return f"{settings.SITE_URL}{path}"


def do_invite_person(
    *,
    actor: User | None,
    email: str,
    first_name: str = "",
    last_name: str = "",
    organisation: Organisation | None = None,
    role: str = Role.MEMBRE,
    language: str = "fr",
) -> tuple[Invitation, str]:
    """Create an invitation and e-mail its link. Returns the invitation and the raw token.

    ``actor`` (who invites, None for a script) is recorded as ``invited_by``.
    """
    email = email.strip().lower()
    check_may_invite(email=email, organisation=organisation, role=role)
    token, token_hash = Invitation.new_token()
    with transaction.atomic():  # no invitation without its e-mail, no e-mail without it
        invitation = Invitation.objects.create(
            email=email,
            first_name=first_name,
            last_name=last_name,
            organisation=organisation,
            role=role,
            language=language,
            token_hash=token_hash,
            invited_by=actor,
            expires_at=Invitation.default_expiry(),
        )
        url = invitation_url(token, language)
        with translation.override(language):
            context = {"invitation": invitation, "url": url, "days": settings.INVITATION_VALID_DAYS}
            subject = render_to_string("members/email/invitation_subject.txt", context).strip()
            body = render_to_string("members/email/invitation_body.txt", context)
        enqueue_email(key=f"invitation:{invitation.pk}", to=email, subject=subject, body=body, language=language)
    return invitation, token


def check_invitation_usable(invitation: Invitation | None) -> Invitation:
    if invitation is None:
        raise InvitationNotFound()
    if invitation.is_used:
        raise InvitationUsed()
    if invitation.is_expired:
        raise InvitationExpired()
    return invitation


def do_accept_invitation(
    *, token: str, password: str, first_name: str, last_name: str
) -> User:
    """Create the account and membership; the invitation is spent in the same transaction."""
    with transaction.atomic():
        found = Invitation.find(token)
        invitation = check_invitation_usable(
            Invitation.objects.select_for_update().filter(pk=found.pk).first() if found else None
        )
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise AccountAlreadyExists()
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            first_name=first_name,
            last_name=last_name,
            language=invitation.language,
        )
        if invitation.organisation_id:
            try:
                with transaction.atomic():
                    Membership.objects.create(
                        user=user, organisation=invitation.organisation, role=invitation.role
                    )
            except IntegrityError:
                # The role was filled since the invitation: join as a member instead.
                Membership.objects.create(
                    user=user, organisation=invitation.organisation, role=Role.MEMBRE
                )
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
    return user
