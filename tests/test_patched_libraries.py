"""The libraries whose internals the realtime code patches or relies on are the pinned
versions, and still have what the patches expect.

``tcri_site/wsframes.py`` replaces functions of autobahn, Daphne and Twisted and reads their
private attributes; ``tcri_site/db.py`` and ``tcri_site/live.py`` reach into asgiref's
``SyncToAsync`` and Django's connection handler. None of that is public API: an upgrade may
rename any of it. Each package is pinned exactly in requirements.txt; this test fails, naming
the package, the pin and what is missing, when the installed version is not the pin or no
longer has an attribute or signature a patch uses. To upgrade one: read the patch, check
each listed name in the new version's source, update the pin and this table together.
"""

from __future__ import annotations

import importlib
import inspect
import re
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pytest

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"


@dataclass
class Needs:
    """What ``used_by`` needs from ``package``."""

    package: str  # distribution name, as in requirements.txt
    used_by: str
    # "module:Object.attr" that must exist (getattr chain)
    attributes: list[str] = field(default_factory=list)
    # "module:Object.func" -> the parameter names it must start with, in order
    signatures: dict[str, list[str]] = field(default_factory=dict)
    # "module:Class" (or a function) -> attributes its source must assign (``self.name =``)
    instance_attributes: dict[str, list[str]] = field(default_factory=dict)
    # "module:Object.func" -> global names its code must look up (what a patch replaces)
    globals_used: dict[str, list[str]] = field(default_factory=dict)


NEEDS = [
    Needs(
        "autobahn",
        "tcri_site/wsframes.py (lazy highlights, shared broadcast frames)",
        attributes=[
            "autobahn.websocket.protocol:hltype",
            "autobahn.websocket.protocol:hlval",
            "autobahn.websocket.protocol:PreparedMessage",
            "autobahn.websocket.protocol:WebSocketProtocol.STATE_OPEN",
            "autobahn.websocket.protocol:WebSocketProtocol.sendData",
            "autobahn.websocket.protocol:TrafficStats",
        ],
        signatures={
            "autobahn.websocket.protocol:PreparedMessage.__init__": [
                "self", "payload", "isBinary", "applyMask", "doNotCompress",
            ],
        },
        instance_attributes={
            "autobahn.websocket.protocol:WebSocketProtocol": [
                "state", "_perMessageCompress", "trafficStats", "trackedTimings",
            ],
            "autobahn.websocket.protocol:PreparedMessage": ["payloadHybi"],
            "autobahn.websocket.protocol:TrafficStats": [
                "outgoingWebSocketMessages", "outgoingWebSocketFrames",
                "outgoingOctetsAppLevel", "outgoingOctetsWebSocketLevel",
            ],
        },
        globals_used={
            # install() swaps the module's hltype/hlval: sendData must look them up there.
            "autobahn.websocket.protocol:WebSocketProtocol.sendData": ["hltype", "hlval"],
        },
    ),
    Needs(
        "daphne",
        "tcri_site/wsframes.py (shared broadcast frames replace serverSend)",
        attributes=[
            "daphne.ws_protocol:logger",
            "daphne.ws_protocol:WebSocketProtocol.serverSend",
        ],
        signatures={
            "daphne.ws_protocol:WebSocketProtocol.serverSend": ["self", "content", "binary"],
        },
        instance_attributes={"daphne.ws_protocol:WebSocketProtocol": ["client_addr"]},
    ),
    Needs(
        "Twisted",
        "tcri_site/wsframes.py (batched writes replace tcp.Server.startWriting/stopWriting)",
        attributes=[
            "twisted.internet.tcp:Server.startWriting",
            "twisted.internet.tcp:Server.stopWriting",
            "twisted.internet.asyncioreactor:AsyncioSelectorReactor._readOrWrite",
        ],
        signatures={
            "twisted.internet.asyncioreactor:AsyncioSelectorReactor._readOrWrite": [
                "self", "selectable", "read",
            ],
        },
        instance_attributes={
            "twisted.internet.asyncioreactor:AsyncioSelectorReactor": ["_asyncioEventloop", "_writers"],
            "twisted.internet.abstract:FileDescriptor": ["_tempDataLen", "offset", "dataBuffer", "connected"],
        },
    ),
    Needs(
        "asgiref",
        "tcri_site/db.py (connection kept in the single thread) and tcri_site/live.py (serving loop)",
        attributes=[
            "asgiref.sync:SyncToAsync.single_thread_executor._threads",
            "asgiref.sync:SyncToAsync.threadlocal",
            "asgiref.sync:SyncToAsync.thread_handler",
        ],
        signatures={
            # db.py overrides thread_handler(self, loop, *args, **kwargs).
            "asgiref.sync:SyncToAsync.thread_handler": ["self", "loop"],
        },
        instance_attributes={
            # live.py reads the loop and pid that thread_handler stores in the threadlocal.
            "asgiref.sync:SyncToAsync.thread_handler": [
                "threadlocal.main_event_loop", "threadlocal.main_event_loop_pid",
            ],
        },
    ),
    Needs(
        "Django",
        "tcri_site/db.py (keeps a consumer thread's connection open)",
        attributes=["django.db:connections.all", "django.db:close_old_connections"],
        signatures={"django.db.utils:ConnectionHandler.all": ["self", "initialized_only"]},
        instance_attributes={"django.db.backends.base.base:BaseDatabaseWrapper": ["close_at", "connection"]},
    ),
]


def _pins() -> dict[str, str]:
    pins = {}
    for line in REQUIREMENTS.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==([^\s#]+)", line.strip())
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def _resolve(spec: str):
    module_name, _, path = spec.partition(":")
    obj = importlib.import_module(module_name)
    for part in path.split(".") if path else []:
        obj = getattr(obj, part)
    return obj


def _problems(needs: Needs) -> list[str]:
    problems = []
    for spec in needs.attributes:
        try:
            _resolve(spec)
        except (ImportError, AttributeError):
            problems.append(f"missing attribute {spec}")
    for spec, expected in needs.signatures.items():
        try:
            params = list(inspect.signature(_resolve(spec)).parameters)
        except (ImportError, AttributeError):
            problems.append(f"missing function {spec}")
            continue
        if params[: len(expected)] != expected:
            problems.append(f"{spec} takes ({', '.join(params)}), the patch expects ({', '.join(expected)}, ...)")
    for spec, names in needs.instance_attributes.items():
        try:
            source = inspect.getsource(_resolve(spec))
        except (ImportError, AttributeError, OSError, TypeError):
            problems.append(f"missing class {spec}")
            continue
        for name in names:
            if not re.search(rf"self\.{re.escape(name)}\b(\s*:[^=\n]+)?\s*=", source):
                problems.append(f"{spec} no longer sets self.{name}")
    for spec, names in needs.globals_used.items():
        try:
            code = _resolve(spec).__code__
        except (ImportError, AttributeError):
            problems.append(f"missing function {spec}")
            continue
        for name in names:
            if name not in code.co_names:
                problems.append(f"{spec} no longer calls the module's {name} (patching it does nothing)")
    return problems


@pytest.mark.parametrize("needs", NEEDS, ids=lambda n: n.package)
def test_patched_library_is_the_pinned_version_and_has_what_the_patch_uses(needs):
    pin = _pins().get(needs.package.lower())
    assert pin, f"{needs.package} is patched by {needs.used_by} but not pinned exactly (==) in requirements.txt"
    installed = version(needs.package)
    assert installed == pin, (
        f"{needs.package} {installed} is installed, requirements.txt pins {pin}: {needs.used_by} relies on "
        f"its internals. Reinstall the pin, or check the patch against {installed} and update the pin."
    )
    problems = _problems(needs)
    assert not problems, f"{needs.package}=={pin} lacks what {needs.used_by} uses:\n  " + "\n  ".join(problems)


def test_the_checker_notices_a_missing_attribute_and_a_changed_signature():
    needs = Needs(
        "autobahn",
        "a test",
        attributes=["autobahn.websocket.protocol:no_such_helper"],
        signatures={"autobahn.websocket.protocol:PreparedMessage.__init__": ["self", "text"]},
        instance_attributes={"autobahn.websocket.protocol:PreparedMessage": ["no_such_field"]},
        globals_used={"autobahn.websocket.protocol:WebSocketProtocol.sendData": ["no_such_global"]},
    )
    problems = _problems(needs)
    assert len(problems) == 4, problems
    assert "missing attribute autobahn.websocket.protocol:no_such_helper" in problems


def test_wsframes_warns_about_the_versions_it_was_checked_against():
    from tcri_site.wsframes import TESTED_WITH

    pins = _pins()
    assert {package: pins.get(package.lower()) for package in TESTED_WITH} == TESTED_WITH, (
        "tcri_site/wsframes.py TESTED_WITH and the pins in requirements.txt differ: update both together"
    )
