"""FORUM_* limits: read through tcri_site/settings/env.py, a malformed value stops start-up."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from forum import conf


@pytest.fixture(autouse=True)
def _no_overrides(settings, monkeypatch):
    for name in ("FORUM_RATE_LIMIT", "FORUM_MAX_FRAME_BYTES", "FORUM_FLOOD_FRAMES", "FORUM_MAX_BODY_CHARS"):
        if hasattr(settings, name):
            delattr(settings, name)
        monkeypatch.delenv(name, raising=False)


def test_defaults():
    assert conf.rate_limit() == (20, 10)
    assert conf.max_frame_bytes() == 64 * 1024
    assert conf.flood_frames() == 120


def test_environment_values_are_parsed(monkeypatch):
    monkeypatch.setenv("FORUM_RATE_LIMIT", " 5/60 ")
    monkeypatch.setenv("FORUM_FLOOD_FRAMES", "300")
    assert conf.rate_limit() == (5, 60)
    assert conf.flood_frames() == 300


def test_a_setting_wins_over_the_environment(settings, monkeypatch):
    monkeypatch.setenv("FORUM_RATE_LIMIT", "5/60")
    settings.FORUM_RATE_LIMIT = "2/30"
    assert conf.rate_limit() == (2, 30)
    settings.FORUM_RATE_LIMIT = (3, 9)
    assert conf.rate_limit() == (3, 9)


@pytest.mark.parametrize("raw", ["20", "20/", "x/10", "0/10", "20/-1", "20/10/5", "vingt"])
def test_a_malformed_rate_limit_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("FORUM_RATE_LIMIT", raw)
    with pytest.raises(ImproperlyConfigured, match="FORUM_RATE_LIMIT"):
        apps.get_app_config("forum").ready()


@pytest.mark.parametrize("raw", ["big", "1.5", "0", "-3"])
def test_a_malformed_number_stops_start_up_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("FORUM_MAX_FRAME_BYTES", raw)
    with pytest.raises(ImproperlyConfigured, match="FORUM_MAX_FRAME_BYTES"):
        conf.check()


def test_a_malformed_setting_is_refused_too(settings):
    settings.FORUM_FLOOD_FRAMES = "many"
    with pytest.raises(ImproperlyConfigured, match="FORUM_FLOOD_FRAMES"):
        conf.check()
