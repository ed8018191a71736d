"""WebSocket routes. Each app owns its consumers and exposes ``websocket_urlpatterns``."""

from importlib import import_module

WEBSOCKET_APPS = ["tcri_site.notifications", "forum", "advocacy"]


def _collect() -> list:
    patterns = []
    for app in WEBSOCKET_APPS:
        try:
            module = import_module(f"{app}.routing")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.routing":
                raise
            continue
        patterns.extend(module.websocket_urlpatterns)
    return patterns


websocket_urlpatterns = _collect()
