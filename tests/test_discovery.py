"""The foundation finds the apps' contributions (sections, WebSocket routes, demo seeders)
by discovery, not by a list of app names: each app is found, in a known order."""

from tcri_site.routing import collect
from tcri_site.sections import hooks
from tcri_site.seeding import seeders


def test_home_and_organisation_sections_come_from_each_app():
    assert [h.__module__ for h in hooks("home_sections")] == [
        "trainings.sections",
        "forum.sections",
        "advocacy.sections",
    ]
    assert {h.__module__ for h in hooks("organisation_sections")} >= {"trainings.sections", "advocacy.sections"}


def test_websocket_routes_come_from_each_app_that_has_consumers():
    apps = {p.callback.consumer_class.__module__.split(".consumers")[0] for p in collect()}
    assert apps == {"tcri_site.notifications", "forum", "advocacy"}


def test_seeders_run_members_first_and_search_last():
    assert [m.__name__ for m in seeders()] == [
        "tcri_site.members.seed",
        "tcri_site.home.seed",
        "trainings.seed",
        "forum.seed",
        "advocacy.seed",
        "tcri_site.notifications.seed",
        "tcri_site.privacy.seed",
        "search.seed",
    ]


def test_personal_data_comes_from_each_app_that_holds_some():
    from tcri_site.privacy.registry import contributors

    assert [m.SECTION for m in contributors()] == ["members", "notifications", "privacy", "trainings", "forum", "advocacy"]
