"""Login throttling with django-axes: what a locked-out person sees, and the staff unlock.

Axes counts failed logins per account (the e-mail typed, lower-cased) and, separately, per
address (``AXES_LOCKOUT_PARAMETERS`` in settings); past ``AXES_FAILURE_LIMIT`` failures either
is refused for ``AXES_COOLOFF_TIME``, even with the right password. Attempts are kept in the
database (``axes.handlers.database.AxesDatabaseHandler``) so every server process agrees.

``lockout_response`` (``AXES_LOCKOUT_CALLABLE``) shows the login page again with a translated
explanation, status 429. ``locked_attempts`` and ``unlock`` back the admin page
"Connexions bloquées" (tcri_site/members/admin_views.py), where staff lift a lock.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def username(request, credentials) -> str:
    """The account an attempt is counted against: the e-mail, trimmed and lower-cased (so
    changing the case does not start a fresh count)."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return (value or "").strip().lower()


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return _(
        "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est bloquée "
        "pendant %(minutes)s minutes. Réessayez plus tard, ou écrivez à l'équipe de la TCRI "
        "pour la débloquer plus tôt."
    ) % {"minutes": cool_off_minutes()}


def lockout_response(request, original_response=None, credentials=None):
    from tcri_site.members.forms import LoginForm

    form = LoginForm(request, initial={"username": username(request, credentials)})
    return render(
        request,
        "members/login.html",
        {"form": form, "lockout_message": lockout_message(), "next": request.POST.get("next", "")},
        status=429,
    )


def locked_attempts():
    """Access attempts over the limit and still inside the cool-off, newest first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).order_by("-attempt_time")


def unlock(attempt_id: int) -> int:
    """Lift the lock of one attempt row: its account and its address. Returns rows removed."""
    from axes.models import AccessAttempt
    from axes.utils import reset

    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        return 0
    removed = 0
    if attempt.username:
        removed += reset(username=attempt.username)
    if attempt.ip_address:
        removed += reset(ip=attempt.ip_address)
    return removed
