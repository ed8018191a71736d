"""The person's acceptances of the privacy policy: exported, and kept after erasure."""

from tcri_site.privacy.models import PolicyAcceptance

SECTION = "privacy"


def export(user) -> dict:
    return {
        "consents": [
            {"version": a.version, "accepted_at": a.accepted_at, "language": a.language}
            for a in PolicyAcceptance.objects.filter(user=user).order_by("accepted_at")
        ]
    }
