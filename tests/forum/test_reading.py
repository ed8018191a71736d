"""How a page of messages reads: grouping, day separators, the new-messages line."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from forum.models import Message
from forum.reading import arrange

pytestmark = pytest.mark.django_db

MONTREAL = ZoneInfo("America/Montreal")


def test_grouping_days_and_the_first_unread(member, colleague, thread):
    start = datetime(2026, 11, 12, 23, 50, tzinfo=MONTREAL)
    rows = [
        (member, start),
        (member, start + timedelta(minutes=4)),  # grouped
        (member, start + timedelta(minutes=12)),  # next day: a separator, no group
        (member, start + timedelta(minutes=13)),  # grouped
        (colleague, start + timedelta(minutes=14)),  # another author
        (colleague, start + timedelta(minutes=30)),  # too late to group
    ]
    messages = [Message.objects.create(thread=thread, author=a, body="x", body_html="x", created_at=t) for a, t in rows]
    arrange(messages, user=member, last_read=messages[3].pk)
    assert [m.grouped for m in messages] == [False, True, False, True, False, False]
    assert [bool(m.new_day) for m in messages] == [True, False, True, False, False, False]
    assert [m.first_unread for m in messages] == [False, False, False, False, True, False]


def test_the_thread_page_shows_the_line_and_the_separators(client, member, colleague, thread):
    from forum import services

    client.force_login(colleague)
    client.get(thread.get_absolute_url())  # colleague has read the first message
    services.do_post_message(actor=member, thread_id=thread.pk, body="Nouveau pour toi")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert html.count('class="forum-day"') == 1 and 'id="nouveaux"' in html
    assert "Nouveaux messages" in html and 'href="#composer"' in html
