"""The person's profile, memberships and invitations (privacy export and erasure)."""

from tcri_site.members.models import Invitation, Membership

SECTION = "members"


def export(user) -> dict:
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("created_at")
    return {
        "profile": {
            "id": user.pk,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "notification_preference": user.notification_preference,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "job_title": m.job_title,
                "is_coordinator": m.is_coordinator,
                "is_active": m.is_active,
                "created_at": m.created_at,
            }
            for m in memberships
        ],
        "invitations": [
            {"email": i.email, "first_name": i.first_name, "last_name": i.last_name, "created_at": i.created_at, "used_at": i.used_at}
            for i in Invitation.objects.filter(email__iexact=user.email).order_by("created_at")
        ],
    }


def erase(user, *, remove_messages: bool) -> None:
    """Memberships stay (they tie the organisation's records together) but lose the job
    title; invitations and login-attempt records naming the old address go."""
    Membership.objects.filter(user=user).update(job_title="")
    old_email = getattr(user, "erased_email", "")
    if old_email:
        Invitation.objects.filter(email__iexact=old_email).delete()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=old_email).delete()
