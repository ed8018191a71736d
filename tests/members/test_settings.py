"""Configuration from the environment: embedded defaults, production refusals, clear errors."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tcri_site.settings import env
from tests.live import ROOT

CLEAN_ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in {"DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
}


def run_python(code: str, **extra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**CLEAN_ENV, **extra},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_embedded_defaults_without_configuration():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tcri_site.settings.dev'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE']);"
        "print(s.CHANNEL_LAYERS['default']['BACKEND']);"
        "print(s.WAGTAILSEARCH_BACKENDS['default']['BACKEND']);"
        "print(s.EMAIL_BACKEND); print(s.LANGUAGE_CODE); print(s.TIME_ZONE); print(repr(s.ELASTICSEARCH_URL))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "channels.layers.InMemoryChannelLayer",
        "wagtail.search.backends.database",
        "django.core.mail.backends.console.EmailBackend",
        "fr",
        "America/Montreal",
        "''",
    ]


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://tcri:secret@db.internal:5433/tcri")
    db = env.database(ROOT / "x.sqlite3")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.internal", 5433, "tcri", "tcri")
    assert db["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize("bad", ["not a url", "mysqlx://nowhere", "postgres://host:99999999/db"])
def test_malformed_database_url_is_a_clear_error(monkeypatch, bad):
    monkeypatch.setenv("DATABASE_URL", bad)
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env.database(ROOT / "x.sqlite3")


def test_redis_url_configures_channel_layer_and_cache():
    layers = env.channel_layers("redis://127.0.0.1:6379/2")
    config = layers["default"]
    assert config["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    host = config["CONFIG"]["hosts"][0]
    assert host["address"] == "redis://127.0.0.1:6379/2"
    # redis-py 8's 5-second default would tear idle sockets down (channels_redis #422).
    assert host["socket_timeout"] is None
    # The forum's thread events go through Redis pub/sub, same server, same timeouts.
    fanout = layers["fanout"]
    assert fanout["BACKEND"] == "channels_redis.pubsub.RedisPubSubChannelLayer"
    assert fanout["CONFIG"]["hosts"][0]["socket_timeout"] is None
    assert fanout["CONFIG"]["prefix"] != config["CONFIG"]["prefix"]
    assert env.caches("redis://127.0.0.1:6379/2")["default"]["BACKEND"].endswith("RedisCache")
    with pytest.raises(ImproperlyConfigured, match="REDIS_URL"):
        env.caches("127.0.0.1:6379")


@pytest.mark.parametrize(
    "missing, present",
    [
        ("SECRET_KEY", {"ALLOWED_HOSTS": "pasi.example.org", "SITE_URL": "https://pasi.example.org"}),
        ("ALLOWED_HOSTS", {"SECRET_KEY": "x" * 60, "SITE_URL": "https://pasi.example.org"}),
    ],
)
def test_production_refuses_to_start_without_required_variable(missing, present):
    code = "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='tcri_site.settings.production'; django.setup()"
    result = run_python(code, **present)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **CLEAN_ENV,
            "DJANGO_SETTINGS_MODULE": "tcri_site.settings.production",
            "SECRET_KEY": "k8#pQ2!vZr7@Lm4$Xw9^Tn6&Yb3*Hc5(Jd1)Ge0_Sf8+Ua2=Ri7Ko4Pl6Mz9Nx3",
            "ALLOWED_HOSTS": "pasi.example.org",
            "SITE_URL": "https://pasi.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_runserver_is_daphne_and_serves_websockets():
    from django.core.management import get_commands

    from tcri_site.asgi import application
    from tcri_site.routing import websocket_urlpatterns

    assert get_commands()["runserver"] == "daphne"
    assert set(application.application_mapping) == {"http", "websocket"}
    assert any(str(p.pattern) == "ws/notifications/" for p in websocket_urlpatterns)
