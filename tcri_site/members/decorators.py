"""View guards that ask ``rules`` permissions.

Anonymous people are sent to the login page; signed-in people without the permission get a
403 page that says so. Every app's views use these, so one policy holds at every door.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, fn=None):
    """Check ``perm`` (against the object ``fn(request, *args, **kwargs)`` returns, if given).

    The object is put on ``request.permission_object`` so the view need not fetch it again.
    """

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            obj = fn(request, *args, **kwargs) if fn else None
            if not request.user.has_perm(perm, obj):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            request.permission_object = obj
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


class PermissionRequiredMixin:
    """Class-based twin of ``permission_required``; override ``get_permission_object``."""

    permission_required: str = ""

    def get_permission_object(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission_required, self.get_permission_object()):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
