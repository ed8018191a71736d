"""notify(): who gets what, and which e-mails leave immediately (per-kind preferences)."""

import pytest
from django.core import mail

from tcri_site.members.models import NotificationPreference as Delivery
from tcri_site.notifications.models import Kind, Notification, NotificationSetting
from tcri_site.notifications.services import (
    do_set_preferences,
    mark_read,
    notify,
    preferences,
    unread_count,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notify_stores_one_per_recipient_and_never_the_actor(django_capture_on_commit_callbacks):
    alice, bob, actor = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        created = notify([alice, bob, actor, alice], kind=Kind.MENTION, title="T", actor=actor)
    assert {n.recipient_id for n in created} == {alice.pk, bob.pk}
    assert Notification.objects.filter(recipient=actor).count() == 0
    assert unread_count(alice) == 1


def test_notify_skips_inactive_people_and_refuses_unknown_kinds():
    inactive = UserFactory(is_active=False)
    assert notify([inactive], kind=Kind.REPLY, title="x") == []
    with pytest.raises(ValueError):
        notify([UserFactory()], kind="no-such-kind", title="x")


def test_immediate_email_follows_the_preference_for_that_kind(django_capture_on_commit_callbacks):
    person = UserFactory(notification_preference=Delivery.DAILY)
    do_set_preferences(person, {Kind.VOTE: Delivery.IMMEDIATE})
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], kind=Kind.VOTE, title="Vote ouvert", url="/forum-pasi/v/1/")
        notify([person], kind=Kind.REPLY, title="Une réponse")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Vote ouvert" in message.subject
    assert "http://testserver/forum-pasi/v/1/" in message.body
    assert "desabonnement" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    vote = Notification.objects.get(kind=Kind.VOTE)
    assert vote.emailed_at is not None
    assert Notification.objects.get(kind=Kind.REPLY).emailed_at is None


def test_general_immediate_preference_applies_unless_the_kind_says_in_app(
    django_capture_on_commit_callbacks,
):
    person = UserFactory(notification_preference=Delivery.IMMEDIATE)
    do_set_preferences(person, {Kind.UPDATE: Delivery.IN_APP})
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], kind=Kind.UPDATE, title="Mise à jour")
        notify([person], kind=Kind.DEMAND, title="Revendication adoptée")
    assert [m.subject.split("] ")[1] for m in mail.outbox] == ["Revendication adoptée"]


def test_immediate_email_is_in_the_persons_language(django_capture_on_commit_callbacks):
    person = UserFactory(notification_preference=Delivery.IMMEDIATE, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], kind=Kind.TRAINING, title="New session")
    assert "Hello" in mail.outbox[0].body
    assert "/en/notifications/desabonnement/" in mail.outbox[0].body


def test_nothing_is_sent_if_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    person = UserFactory(notification_preference=Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify([person], kind=Kind.MENTION, title="x")
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert Notification.objects.count() == 0


def test_preferences_default_to_the_general_preference_and_are_stored_per_kind():
    person = UserFactory(notification_preference=Delivery.WEEKLY)
    assert set(preferences(person).values()) == {Delivery.WEEKLY}
    do_set_preferences(person, {Kind.MENTION: Delivery.IMMEDIATE})
    do_set_preferences(person, {Kind.MENTION: Delivery.IN_APP})
    assert NotificationSetting.objects.filter(user=person).count() == 1
    assert preferences(person)[Kind.MENTION] == Delivery.IN_APP
    with pytest.raises(ValueError):
        do_set_preferences(person, {Kind.MENTION: "hourly"})


def test_mark_read_only_touches_the_persons_own_notifications():
    alice, bob = UserFactory(), UserFactory()
    [mine] = notify([alice], kind=Kind.REPLY, title="a")
    [theirs] = notify([bob], kind=Kind.REPLY, title="b")
    assert mark_read(alice, [mine.pk, theirs.pk]) == 1
    assert unread_count(bob) == 1
    notify([alice], kind=Kind.REPLY, title="c")
    assert mark_read(alice) == 1
    assert unread_count(alice) == 0


def test_a_title_with_line_breaks_still_makes_a_one_line_subject(django_capture_on_commit_callbacks):
    person = UserFactory(notification_preference=Delivery.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        notify([person], kind=Kind.REPLY, title="Première ligne\nBcc: intrus@evil.example")
    assert mail.outbox[0].subject == "[Espace TCRI-PASI] Première ligne Bcc: intrus@evil.example"
    assert mail.outbox[0].bcc == []


def test_each_recipient_reads_the_title_and_link_in_their_own_language():
    """The person acting may browse in English; a French reader still gets French, and the
    reverse, in the notification centre and in the link."""
    from django.utils import translation

    from forum import services as forum_services
    from tcri_site.members.models import Role
    from tests.factories import OrganisationFactory, make_member
    from tests.forum.conftest import make_space, make_thread

    organisation = OrganisationFactory(acronym="ABC")
    author = make_member(organisation, language="fr")
    french, english = make_member(organisation, Role.MEMBRE, language="fr"), make_member(organisation, language="en")
    thread = make_thread(make_space(), author, title="Logement")
    with translation.override("en"):  # the author's request runs in English
        forum_services.do_post_message(actor=author, thread_id=thread.pk, body="Bonjour @abc")
    by_person = {n.recipient_id: n for n in Notification.objects.filter(kind=Kind.MENTION)}
    assert by_person[french.pk].title.endswith("vous a mentionné·e dans « Logement »")
    assert not by_person[french.pk].url.startswith("/en/")
    assert by_person[english.pk].title.endswith("mentioned you in \"Logement\"")
    assert by_person[english.pk].url.startswith("/en/")
