"""Reading configuration from the environment, with errors that name the variable."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off", ""}


def get(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def require(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} must be set for production settings."
        )
    return value


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in TRUE:
        return True
    if raw.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def parse_int(name: str, value, *, minimum: int | None = None) -> int:
    """``value`` (a string from the environment, or a setting) as a whole number."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.")
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value!r}.")
    return number


def get_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return parse_int(name, raw.strip(), minimum=minimum)


def parse_rate(name: str, value) -> tuple[int, int]:
    """``"20/10"`` (or ``(20, 10)``): a count per a number of seconds, both positive."""
    if isinstance(value, tuple | list) and len(value) == 2:
        parts = list(value)
    elif isinstance(value, str) and value.count("/") == 1:
        parts = [part.strip() for part in value.split("/")]
    else:
        parts = None
    try:
        count, seconds = (int(part) for part in parts or ())
    except (TypeError, ValueError):
        count = seconds = 0
    if count <= 0 or seconds <= 0 or any(isinstance(part, bool) for part in parts or ()):
        raise ImproperlyConfigured(
            f"{name} must be <count>/<seconds> with two positive whole numbers, for example 20/10, not {value!r}."
        )
    return count, seconds


def get_rate(name: str, default: tuple[int, int]) -> tuple[int, int]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return parse_rate(name, raw.strip())


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database(sqlite_path: Path) -> dict:
    """``DATABASE_URL`` (PostgreSQL) when set, else a SQLite file beside manage.py."""
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(sqlite_path)),
            # WAL: readers never wait for a writer, and a commit is one append instead of a
            # rollback journal written, synced and deleted (synchronous=NORMAL is safe in WAL:
            # a power cut may lose the last commits, never corrupt the file).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # dj_database_url raises ValueError/KeyError on bad URLs
        raise ImproperlyConfigured(
            f"DATABASE_URL is malformed ({exc}). Expected for example "
            "postgres://user:password@host:5432/dbname"
        ) from exc
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            "DATABASE_URL is malformed: it names no database. Expected for example "
            "postgres://user:password@host:5432/dbname"
        )
    # CONN_MAX_AGE stays 0 under ASGI: each request thread gets a fresh connection.
    config["CONN_MAX_AGE"] = 0
    return config


def _check_redis_url(url: str) -> None:
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL is malformed ({url!r}). Expected for example redis://127.0.0.1:6379/0"
        )


def caches(redis_url: str) -> dict:
    if not redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "tcri",
            }
        }
    _check_redis_url(redis_url)
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": get("CACHE_KEY_PREFIX", "tcri"),
        }
    }


def channel_layers(redis_url: str) -> dict:
    """Two layers: ``default`` for everything, and ``fanout`` for the forum's thread events.

    ``fanout`` carries one message per post to one reader per server process (the forum's
    hub, forum/fanout.py). With Redis it is a pub/sub layer: one PUBLISH reaches every
    process at once, where the core layer's group_send takes three round trips and its
    receive loop two more (5-6.5 ms per message under load in the fan-out bench). Pub/sub
    keeps nothing for a process that is not listening; the sockets repair any gap from the
    database, as they do for anything the core layer drops.
    """
    if not redis_url:
        memory = {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1000, "expiry": 60}}
        return {"default": memory, "fanout": {**memory, "CONFIG": dict(memory["CONFIG"])}}
    _check_redis_url(redis_url)
    # redis-py 8 defaults socket_timeout to 5 s, which aborts the layer's idle blocking
    # read (BZPOPMIN) and tears sockets down every 5 s (channels_redis issue 422). None
    # lets the blocking read wait.
    host = {
        "address": redis_url,
        "socket_timeout": None,
        "socket_connect_timeout": 5,
        "health_check_interval": 30,
    }
    prefix = get("CHANNELS_PREFIX", "tcri")
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [dict(host)],
                "prefix": prefix,
                # The default 100 drops messages silently for slow consumers; catch-up
                # repairs gaps, but a larger buffer makes them rare.
                "capacity": 1000,
                "expiry": 60,
            },
        },
        "fanout": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [dict(host)], "prefix": f"{prefix}.fanout."},
        },
    }
