"""WebSocket routes: every app's ``routing.py`` exposes ``websocket_urlpatterns``.

Found with ``tcri_site.discovery`` (third-party apps' ``routing`` modules, such as
Channels' own, define no ``websocket_urlpatterns`` and add nothing).
"""

from tcri_site.discovery import discover


def collect() -> list:
    return [
        pattern
        for module in discover("routing")
        for pattern in getattr(module, "websocket_urlpatterns", ())
    ]


websocket_urlpatterns = collect()
