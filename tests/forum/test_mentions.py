"""Mentions on the page (links, the reader's own highlighted) and the composer's
suggestions (people and organisations who may read the thread, at least 2 characters)."""

import pytest
from django.urls import reverse

from forum import services
from forum.mentions import link_mentions
from forum.models import Visibility
from tests.factories import OrganisationFactory, make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


def handle(user):
    return user.email.split("@")[0]


def test_mentions_become_links_and_the_readers_own_is_highlighted(client, member, colleague, thread):
    services.do_post_message(actor=colleague, thread_id=thread.pk, body=f"Merci @{handle(member)} et `@{handle(colleague)}`")
    client.force_login(member)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert f'class="mention mention-me" href="{member.organisation.get_absolute_url()}"' in html
    assert f"<code>@{handle(colleague)}</code>" in html  # code stays code
    client.force_login(colleague)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert f'class="mention" href="{member.organisation.get_absolute_url()}"' in html and "mention-me" not in html.split("forum-messages")[1].split("composer")[0]


def test_an_organisation_mention_is_highlighted_for_its_staff():
    targets = {"cdi": {"url": "/o/cdi/", "title": "Centre"}}
    html = link_mentions("<p>Pour @CDI, voir <a href='/x'>@cdi</a></p>", targets, {"cdi"})
    assert html.count("mention-me") == 1 and "<a href='/x'>@cdi</a>" in html


def test_suggestions_are_people_and_organisations_who_may_read(client, member, other_organisation):
    org = member.organisation
    org.acronym = "CARI"
    org.save()
    other_organisation.acronym = "CAMO"
    other_organisation.save()
    space = make_space("prive", Visibility.LISTED, organisations=[org])
    thread = make_thread(space, member)
    reader = make_member(org, first_name="Camille", last_name="Roy")
    make_member(other_organisation, first_name="Camille", last_name="Tremblay")
    client.force_login(member)
    url = reverse("forum:mention_suggestions", args=[thread.pk])
    assert client.get(url, {"q": "c"}).json() == {"results": []}  # two characters at least
    results = client.get(url, {"q": "ca"}).json()["results"]
    labels = [r["label"] for r in results]
    assert any("Camille Roy" in label for label in labels) and not any("Tremblay" in label for label in labels)
    handles = [r["handle"] for r in results]
    assert "CARI" in handles and "CAMO" not in handles
    assert {"handle": handle(reader), "kind": "person"}.items() <= next(r for r in results if "Roy" in r["label"]).items()
    client.force_login(make_member(OrganisationFactory()))
    assert client.get(url, {"q": "ca"}).status_code == 403
