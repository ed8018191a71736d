"""ASGI entry point: HTTP through Django, WebSockets through Channels.

Served by Daphne (``manage.py runserver`` or ``daphne tcri_site.asgi:application``).
"""

import gc
import os
import sys

from django.core.asgi import get_asgi_application

# One event loop writes every socket's frames while one worker thread does the database
# work (database_sync_to_async). Each query releases the GIL, and with the default 5 ms
# switch interval the worker then waits up to 5 ms to get it back from a busy loop: under
# load a post waited longer than it worked. In one 10 s step of the forum fan-out bench at
# 20 messages/s, 0.5 ms lowered p50 from 1.9 to 1.5 s; 0.2 ms did no better, so 1 ms is
# used (docs/benchmarks.md). ASGI_SWITCH_INTERVAL (seconds) overrides it.
try:
    sys.setswitchinterval(float(os.environ.get("ASGI_SWITCH_INTERVAL") or 0.001))
except ValueError as exc:
    raise SystemExit(f"ASGI_SWITCH_INTERVAL must be a number of seconds, for example 0.001 ({exc}).") from exc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tcri_site.settings.dev")
# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import get_resolver  # noqa: E402

from tcri_site import wsframes  # noqa: E402
from tcri_site.routing import websocket_urlpatterns  # noqa: E402

wsframes.install()  # less work per frame sent to many sockets (tcri_site/wsframes.py)

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# What is loaded by now (Django, Wagtail, every app and, below, every view through the URL
# conf) lives as long as the process. Freezing it leaves it out of the collector's full
# passes, which otherwise walk all of it while holding the GIL: in the forum fan-out bench
# (20 messages/s, 200 sockets) such a pass took 170-210 ms and set p99 at 233 ms; with the
# freeze a pass took 30-46 ms and p99 was 69-99 ms (docs/benchmarks.md).
get_resolver().url_patterns  # noqa: B018 - import the views now rather than on a first request
gc.freeze()
# Full passes also walk every open socket's objects (Daphne's protocol, the consumer, its
# scope), 35-45 ms with 200 sockets, and came every few seconds under load, one of them in
# each 10 s run of the fan-out bench at 20 messages/s. A full pass now waits for 100
# passes of the middle generation instead of 10 (the younger generations, which free most
# garbage, are unchanged): over four interleaved runs, none fell in the posting window and
# p99 went from 8.9-67× to 6.3-9.6× of the baseline. The price: cyclic garbage waits
# longer, an idle socket holds 26.8 KiB instead of 18.0 (docs/benchmarks.md).
gc.set_threshold(*gc.get_threshold()[:2], 100)
