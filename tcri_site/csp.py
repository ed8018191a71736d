"""Content-Security-Policy: one strict policy for the site, a looser one for Wagtail's admin.

django-csp 4 (``csp.middleware.CSPMiddleware``) writes the header from
``CONTENT_SECURITY_POLICY`` in settings: scripts, styles, fonts and connections from this
origin only, images from this origin and ``data:``, no plug-ins, never framed. Our templates
have no inline ``<script>`` nor ``on*=`` handler (a test greps them); data reach the scripts
through ``data-*`` attributes. Style *attributes* stay allowed (``style-src-attr
'unsafe-inline'``: the reports' bar widths), they cannot run code.

``SitePolicyMiddleware`` (subclassing the documented ``get_policy_parts`` hook) adds, per
request:

- ``ws://host`` and ``wss://host`` of the request's own host to ``connect-src`` (the live
  sockets; CSP level 3 browsers already match them with ``'self'``, older ones do not);
- under the Wagtail admin (``/admin/``): ``style-src 'self' 'unsafe-inline'`` (Wagtail 8's
  admin still sets inline ``<style>`` and style attributes from its JavaScript), and
  ``frame-ancestors 'self'`` plus ``frame-src 'self'`` (the live preview shows the page in a
  same-origin iframe), and ``script-src 'self' 'unsafe-inline'``: Wagtail 8's editing
  forms still print inline ``<script>`` blocks (date and time widgets, inline panels,
  multiple chooser panels: ``wagtailadmin/widgets/*_input.html``, ``panels/inline_panel.html``),
  different on each form, so neither a hash nor a nonce (Wagtail's templates do not use one)
  can allow them. The admin still loads scripts from this origin only, and only staff use it.
"""

from __future__ import annotations

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware

ADMIN_PREFIX = "/admin/"

SITE_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "style-src-attr": [UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "media-src": [SELF],
    "frame-src": [NONE],
    "worker-src": [SELF],
    "manifest-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}

ADMIN_REPLACE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "frame-src": [SELF],
    "frame-ancestors": [SELF],
    # The admin shows images from this origin, data: and blob: (upload previews).
    "img-src": [SELF, "data:", "blob:"],
}


class SitePolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        host = request.get_host()
        sockets = [f"wss://{host}"] if request.is_secure() else [f"ws://{host}", f"wss://{host}"]
        parts.update = {**(parts.update or {}), "connect-src": sockets}
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_REPLACE, **(parts.replace or {})}
        return parts
