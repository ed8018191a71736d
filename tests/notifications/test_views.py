"""The notification centre and the preferences page."""

import html
import re

import pytest
from django.urls import reverse

from tcri_site.members.models import NotificationPreference as Delivery
from tcri_site.notifications.models import Kind, Notification
from tcri_site.notifications.services import notify, preferences
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_centre_needs_a_workspace_account(client, outsider):
    url = reverse("notifications:list")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_unread_and_all_filters(client, member):
    notify([member], kind=Kind.REPLY, title="Lue déjà")
    notify([member], kind=Kind.MENTION, title="Toute nouvelle")
    Notification.objects.filter(title="Lue déjà").update(read_at="2026-11-01T10:00:00Z")
    client.force_login(member)
    everything = client.get(reverse("notifications:list")).content.decode()
    assert "Lue déjà" in everything and "Toute nouvelle" in everything
    unread = client.get(reverse("notifications:list") + "?show=unread").content.decode()
    assert "Toute nouvelle" in unread and "Lue déjà" not in unread
    by_kind = client.get(reverse("notifications:list") + "?kind=reply").content.decode()
    assert "Lue déjà" in by_kind and "Toute nouvelle" not in by_kind
    bad = client.get(reverse("notifications:list") + "?show=nope&page=abc")
    assert bad.status_code == 200
    assert "Ce filtre n'existe pas" in bad.content.decode()


def test_mark_one_read_and_mark_all_read(client, member, organisation):
    other = make_member(organisation)
    [first] = notify([member], kind=Kind.REPLY, title="Un")
    notify([member], kind=Kind.REPLY, title="Deux")
    [theirs] = notify([other], kind=Kind.REPLY, title="À l'autre")
    client.force_login(member)

    response = client.post(
        reverse("notifications:mark_read", args=[first.pk]), {"next": "/notifications/?show=unread"}
    )
    assert response.status_code == 302 and response["Location"] == "/notifications/?show=unread"
    first.refresh_from_db()
    assert first.read_at is not None

    # Someone else's notification: refused, untouched.
    assert client.post(reverse("notifications:mark_read", args=[theirs.pk])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # An outside redirect target is ignored.
    response = client.post(reverse("notifications:mark_all_read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.filter(recipient=member, read_at__isnull=True).count() == 0
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_opening_marks_read_and_follows_only_local_links(client, member):
    [local] = notify([member], kind=Kind.UPDATE, title="Locale", url="/forum-pasi/suivi/")
    [outside] = notify([member], kind=Kind.UPDATE, title="Dehors", url="https://evil.example/")
    client.force_login(member)
    assert client.post(reverse("notifications:open", args=[local.pk]))["Location"] == "/forum-pasi/suivi/"
    assert client.post(reverse("notifications:open", args=[outside.pk]))["Location"] == reverse(
        "notifications:list"
    )


def test_centre_query_count_does_not_grow(client, member, django_assert_max_num_queries):
    client.force_login(member)
    notify([member], kind=Kind.REPLY, title="x")
    client.get(reverse("notifications:list"))  # warm: both measures see the same cache
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("notifications:list"))
    for i in range(40):
        notify([member], kind=Kind.REPLY, title=f"n{i}", actor=make_member())
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:list"))


def test_preferences_page_saves_one_choice_per_kind(client, member):
    client.force_login(member)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert page.count("<fieldset") == len(Kind)
    assert "<legend>Mentions" in page
    data = dict.fromkeys(Kind.values, Delivery.DAILY)
    data[Kind.VOTE] = Delivery.IMMEDIATE
    data[Kind.UPDATE] = Delivery.WEEKLY
    response = client.post(url, data)
    assert response.status_code == 302
    chosen = preferences(member)
    assert chosen[Kind.VOTE] == Delivery.IMMEDIATE and chosen[Kind.UPDATE] == Delivery.WEEKLY


def test_preferences_page_explains_bad_input_and_keeps_the_rest(client, member):
    client.force_login(member)
    data = dict.fromkeys(Kind.values, Delivery.WEEKLY)
    data[Kind.VOTE] = "hourly"
    del data[Kind.MENTION]
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Ce choix n'existe pas" in page
    assert "Choisissez comment recevoir ce type de notification." in page
    # What was typed is kept: the valid choices are still ticked.
    assert re.search(r'name="update" value="weekly"[^>]*checked', page)
    # Nothing stored from an invalid form.
    assert preferences(member)[Kind.UPDATE] == member.notification_preference


def test_profile_links_to_the_preferences(client, member):
    client.force_login(member)
    page = client.get(reverse("members:profile")).content.decode()
    assert reverse("notifications:preferences") in page


def test_kind_filter_form_keeps_the_unread_tab(client, member):
    notify([member], kind=Kind.VOTE, title="Vote ouvert")
    client.force_login(member)
    page = client.get(reverse("notifications:list") + "?show=unread&kind=vote").content.decode()
    assert '<select name="kind"' in page
    assert '<option value="vote" selected>' in page
    assert 'href="?show=all&amp;kind=vote"' in page
    assert "Vote ouvert" in page
