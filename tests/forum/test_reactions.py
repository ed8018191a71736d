"""Reactions: the service (idempotent, unique, refused for people who cannot read), the
no-JavaScript form, the thread page's summary in a bounded number of queries, no e-mail."""

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from forum import services
from forum.errors import ForumRefusal
from forum.models import Reaction, Visibility
from tcri_site.notifications.models import Notification
from tests.factories import make_member
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


def first_message(thread):
    return thread.messages.order_by("pk").first()


def test_setting_twice_keeps_one_row_and_unsetting_twice_is_harmless(member, colleague, thread):
    message = first_message(thread)
    first = services.do_set_reaction(actor=colleague, message_id=message.pk, kind="thumbs_up", on=True)
    again = services.do_set_reaction(actor=colleague, message_id=message.pk, kind="thumbs_up", on=True)
    assert first["changed"] and not again["changed"]
    assert again["count"] == 1 and again["user_ids"] == [colleague.pk] and again["emoji"] == "👍"
    services.do_set_reaction(actor=member, message_id=message.pk, kind="thumbs_up", on=True)
    services.do_set_reaction(actor=member, message_id=message.pk, kind="heart", on=True)
    assert Reaction.objects.filter(message=message).count() == 3
    off = services.do_set_reaction(actor=colleague, message_id=message.pk, kind="thumbs_up", on=False)
    off_again = services.do_set_reaction(actor=colleague, message_id=message.pk, kind="thumbs_up", on=False)
    assert off["changed"] and not off_again["changed"] and off_again["count"] == 1


def test_the_database_refuses_a_duplicate(member, thread):
    message = first_message(thread)
    Reaction.objects.create(message=message, user=member, kind="check")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reaction.objects.create(message=message, user=member, kind="check")


def test_a_reaction_tells_nobody_by_notification_or_email(member, colleague, thread):
    before = Notification.objects.count()
    services.do_set_reaction(actor=colleague, message_id=first_message(thread).pk, kind="party", on=True)
    assert Notification.objects.count() == before and mail.outbox == []


def test_refused_for_people_who_cannot_read_and_for_unknown_kinds(member, thread, other_organisation):
    stranger = make_member(other_organisation)
    space = make_space("prive", Visibility.LISTED, organisations=[member.organisation])
    private = make_thread(space, member)
    message = first_message(private)
    with pytest.raises(ForumRefusal) as refused:
        services.do_set_reaction(actor=stranger, message_id=message.pk, kind="heart", on=True)
    assert refused.value.code == "unknown_message"
    with pytest.raises(ForumRefusal) as refused:
        services.do_set_reaction(actor=member, message_id=message.pk, kind="rocket", on=True)
    assert refused.value.code == "unknown_reaction"
    assert not Reaction.objects.exists()


def test_hidden_or_deleted_messages_take_no_reaction(member, colleague, project_lead, thread):
    message = first_message(thread)
    services.do_set_hidden(actor=project_lead, message_id=message.pk, hidden=True)
    with pytest.raises(ForumRefusal) as refused:
        services.do_set_reaction(actor=colleague, message_id=message.pk, kind="heart", on=True)
    assert refused.value.code == "forbidden"
    assert not Reaction.objects.exists()


def test_plain_form_sets_and_removes_then_the_page_shows_who(client, member, colleague, thread):
    message = first_message(thread)
    client.force_login(colleague)
    url = reverse("forum:message_react", args=[message.pk])
    assert client.post(url, {"reaction": "thanks:1"}).status_code == 302
    assert client.post(url, {"reaction": "thanks:1"}).status_code == 302
    assert Reaction.objects.filter(message=message, user=colleague, kind="thanks").count() == 1
    client.force_login(member)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'value="thanks:1"' in html and 'aria-pressed="false"' in html
    assert colleague.get_full_name() in html and "Merci," in html
    client.force_login(colleague)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert 'value="thanks:0"' in html and 'aria-pressed="true"' in html
    client.post(url, {"reaction": "thanks:0"})
    assert not Reaction.objects.exists()


def test_plain_form_refusal_is_explained_and_stores_nothing(client, member, thread):
    client.force_login(member)
    url = reverse("forum:message_react", args=[first_message(thread).pk])
    response = client.post(url, {"reaction": "rocket:1"}, follow=True)
    assert "Cette réaction n&#x27;existe pas." in response.content.decode()
    assert not Reaction.objects.exists()


def test_outsider_cannot_post_the_form(client, member, thread, other_organisation):
    thread.space.visibility = Visibility.LISTED
    thread.space.save()
    thread.space.organisations.set([member.organisation])
    client.force_login(make_member(other_organisation))
    url = reverse("forum:message_react", args=[first_message(thread).pk])
    assert client.post(url, {"reaction": "heart:1"}).status_code == 403
    assert not Reaction.objects.exists()


def _page_queries(client, thread) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(thread.get_absolute_url()).status_code == 200
    return len(queries)


def _react_all(thread, people):
    Reaction.objects.bulk_create(
        [Reaction(message=m, user=p, kind=k) for p in people for m in thread.messages.all() for k in ("heart", "check")],
        ignore_conflicts=True,
    )


def test_summary_costs_the_same_number_of_queries_whatever_the_reactions(client, member, thread):
    for i in range(3):
        services.do_post_message(actor=member, thread_id=thread.pk, body=f"m{i}")
    client.force_login(member)
    _react_all(thread, [make_member(member.organisation) for _ in range(2)])
    client.get(thread.get_absolute_url())
    few = _page_queries(client, thread)
    for i in range(10):
        services.do_post_message(actor=member, thread_id=thread.pk, body=f"n{i}")
    _react_all(thread, [make_member(member.organisation) for _ in range(10)])
    assert _page_queries(client, thread) == few
    message = first_message(thread)
    summary = services.reactions_by_message([message.pk], member)[message.pk]
    assert [r["code"] for r in summary] == ["check", "heart"] and summary[0]["count"] == 12
