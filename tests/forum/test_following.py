"""Following and muting threads and spaces: stored once, refused without access, and the
notices they cause (new threads of a followed space, new messages of a followed thread;
muting silences replies but not direct mentions)."""

import re

import pytest
from django.urls import reverse

from forum import services
from forum.errors import ForumRefusal
from forum.models import Visibility
from tcri_site.members.models import Role
from tcri_site.notifications.models import Follow, Kind, Notification
from tests.factories import make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_follow_is_idempotent_and_mute_replaces_it(member, space):
    first = services.do_set_follow(actor=member, target="space", target_id=space.pk, mode="follow")
    again = services.do_set_follow(actor=member, target="space", target_id=space.pk, mode="follow")
    assert first["changed"] and not again["changed"] and Follow.objects.count() == 1
    muted = services.do_set_follow(actor=member, target="space", target_id=space.pk, mode="mute")
    assert muted["changed"] and Follow.objects.get().mode == "mute"
    gone = services.do_set_follow(actor=member, target="space", target_id=space.pk, mode="none")
    assert gone["mode"] is None and not Follow.objects.exists()


def test_refused_without_access_and_for_bad_choices(member, other_organisation):
    stranger = make_member(other_organisation)
    private = make_space("prive", Visibility.LISTED, organisations=[member.organisation])
    with pytest.raises(ForumRefusal) as refused:
        services.do_set_follow(actor=stranger, target="space", target_id=private.pk, mode="follow")
    assert refused.value.code == "unknown_space"
    with pytest.raises(ForumRefusal) as refused:
        services.do_set_follow(actor=member, target="space", target_id=private.pk, mode="loud")
    assert refused.value.code == "bad_follow_mode"
    with pytest.raises(ForumRefusal) as refused:
        services.do_set_follow(actor=member, target="demand", target_id=private.pk, mode="follow")
    assert refused.value.code == "bad_follow_target"
    assert not Follow.objects.exists()


def test_a_followed_space_tells_of_new_threads_only_to_people_who_may_read(member, colleague, space, other_organisation):
    services.do_set_follow(actor=colleague, target="space", target_id=space.pk, mode="follow")
    make_thread(space, member, title="Nouvelles règles")
    notice = Notification.objects.get(recipient=colleague)
    assert notice.kind == Kind.FOLLOWED and "Nouvelles règles" in notice.title
    # Someone who followed, then lost access, is not told.
    stranger = make_member(other_organisation)
    services.do_set_follow(actor=stranger, target="space", target_id=space.pk, mode="follow")
    space.visibility = Visibility.LISTED
    space.save()
    space.organisations.set([member.organisation])
    make_thread(space, member, title="Deuxième")
    assert kinds_for(stranger) == [] and kinds_for(colleague) == ["followed", "followed"]
    assert kinds_for(member) == []  # never the author


def test_a_followed_thread_tells_of_new_messages_once(member, colleague, coordinator, thread):
    services.do_set_follow(actor=colleague, target="thread", target_id=thread.pk, mode="follow")
    services.do_set_follow(actor=coordinator, target="thread", target_id=thread.pk, mode="follow")
    handle = coordinator.email.split("@")[0]
    services.do_post_message(actor=member, thread_id=thread.pk, body=f"Bonjour @{handle}")
    assert kinds_for(colleague) == ["followed"]
    assert kinds_for(coordinator) == ["mention"]  # mentioned: told once, as a mention


def test_muting_silences_replies_and_follows_but_not_mentions(member, colleague, space):
    services.do_set_follow(actor=colleague, target="space", target_id=space.pk, mode="follow")
    thread = make_thread(space, colleague, title="Mon fil")
    services.do_set_follow(actor=colleague, target="thread", target_id=thread.pk, mode="mute")
    first = thread.messages.get()
    services.do_post_message(actor=member, thread_id=thread.pk, body="Une réponse", reply_to_id=first.pk)
    assert kinds_for(colleague) == []
    handle = colleague.email.split("@")[0]
    services.do_post_message(actor=member, thread_id=thread.pk, body=f"@{handle} une question")
    assert kinds_for(colleague) == ["mention"]
    # A muted space: a thread of it followed explicitly is still heard.
    services.do_set_follow(actor=colleague, target="space", target_id=space.pk, mode="mute")
    services.do_set_follow(actor=colleague, target="thread", target_id=thread.pk, mode="follow")
    services.do_post_message(actor=member, thread_id=thread.pk, body="Suite")
    assert kinds_for(colleague) == ["followed", "mention"]


def shown_follow_buttons(html: str) -> list[str]:
    """The follow form's buttons a reader sees (all are rendered; the others are ``hidden``)."""
    form = re.search(r'<form[^>]*class="forum-follow".*?</form>', html, re.S).group(0)
    return [label for attrs, label in re.findall(r"<button([^>]*)>([^<]+)</button>", form) if " hidden" not in attrs]


def test_buttons_work_without_javascript(client, member, thread):
    client.force_login(member)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert shown_follow_buttons(html) == ["Suivre ce fil", "Mettre en sourdine"]
    url = reverse("forum:follow", args=["thread", thread.pk])
    response = client.post(url, {"mode": "follow"}, follow=True)
    assert shown_follow_buttons(response.content.decode()) == ["Ne plus suivre", "Mettre en sourdine"]
    assert Follow.objects.get(user=member).mode == "follow"
    response = client.post(url, {"mode": "mute"}, follow=True)
    assert shown_follow_buttons(response.content.decode()) == ["Suivre ce fil", "Réactiver les notifications"]
    html = client.get(thread.space.get_absolute_url()).content.decode()
    assert shown_follow_buttons(html) == ["Suivre cet espace", "Mettre en sourdine"]
    assert client.post(reverse("forum:follow", args=["thread", 999999]), {"mode": "follow"}).status_code == 404


def test_outsider_cannot_follow_a_private_space_by_form(client, member, other_organisation):
    private = make_space("prive", Visibility.LISTED, organisations=[member.organisation])
    client.force_login(make_member(other_organisation, Role.MEMBRE))
    assert client.post(reverse("forum:follow", args=["space", private.pk]), {"mode": "follow"}).status_code == 404
    assert not Follow.objects.exists()
