"""Which policy version is current, and recording that a person accepted it."""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language

from tcri_site.privacy.models import PolicyAcceptance, PrivacyPolicyPage

CACHE_KEY = "privacy:current-version"


def current_policy() -> PrivacyPolicyPage | None:
    return PrivacyPolicyPage.objects.live().order_by("-version", "-pk").first()


def current_version(*, fresh: bool = False) -> int:
    """The live policy's version, 0 when there is none. Cached (one query per change);
    ``fresh`` reads the database again before anyone is sent to the acceptance page."""
    version = None if fresh else cache.get(CACHE_KEY)
    if version is None:
        policy = current_policy()
        version = policy.version if policy else 0
        cache.set(CACHE_KEY, version, 300)
    return version


def forget_current() -> None:
    cache.delete(CACHE_KEY)


def do_accept_policy(*, actor, version: int) -> PolicyAcceptance:
    acceptance, _created = PolicyAcceptance.objects.get_or_create(
        user=actor, version=version, defaults={"language": (get_language() or "fr")[:5]}
    )
    return acceptance
