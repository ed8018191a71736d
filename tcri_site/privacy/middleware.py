"""Sends a signed-in person to the acceptance page until they accept the current policy.

The accepted version is remembered in the session, so a person who has accepted costs no
query per request (the current version itself is cached).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from tcri_site.privacy.models import PolicyAcceptance
from tcri_site.privacy.services.policy import current_version

SESSION_KEY = "privacy_accepted_version"
EXEMPT_PREFIXES = ("/static/", "/media/", "/admin/login/", "/admin/logout/", "/healthz", "/ws/", "/jsi18n/", "/en/jsi18n/", "/i18n/")


class PolicyAcceptanceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated and not self._exempt(request):
            version = current_version()
            if version and request.session.get(SESSION_KEY) != version:
                if PolicyAcceptance.objects.filter(user=request.user, version=version).exists():
                    request.session[SESSION_KEY] = version
                elif current_version(fresh=True) == 0:  # the cached version was stale
                    pass
                else:
                    target = reverse("privacy:accept")
                    return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        """The policy and acceptance pages (under /confidentialite/), logout, static files,
        the admin's login, the health check and the sockets."""
        path = request.path_info
        if path.startswith("/en/"):
            path = path[3:]
        return path.startswith(EXEMPT_PREFIXES) or path.startswith(("/confidentialite/", "/comptes/deconnexion/"))
