"""send_digests: once per notification, grouped by kind, in the person's language,
with unsubscribe links that need no login and cannot be forged."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tcri_site.members.models import NotificationPreference as Delivery
from tcri_site.notifications.models import Digest, Kind, Notification
from tcri_site.notifications.services import (
    InvalidUnsubscribeToken,
    do_set_preferences,
    notify,
    preferences,
    read_unsubscribe_token,
    send_digests,
    unsubscribe_token,
)
from tests.factories import UserFactory
from tests.outbox import outbox

pytestmark = pytest.mark.django_db


def _digest_people():
    daily = UserFactory(notification_preference=Delivery.DAILY, first_name="Awa")
    weekly = UserFactory(notification_preference=Delivery.WEEKLY)
    quiet = UserFactory(notification_preference=Delivery.IN_APP)
    return daily, weekly, quiet


def test_daily_digest_is_sent_once_grouped_by_kind():
    daily, weekly, quiet = _digest_people()
    everyone = [daily, weekly, quiet]
    notify(everyone, kind=Kind.MENTION, title="Mention dans « Accueil »", url="/espaces/a/")
    notify(everyone, kind=Kind.MENTION, title="Seconde mention", url="/espaces/b/")
    notify(everyone, kind=Kind.VOTE, title="Vote ouvert : revendication 3")

    call_command("send_digests", "--frequency", "daily", stdout=open("/dev/null", "w"))
    assert len(outbox()) == 1
    message = outbox()[0]
    assert message.to == [daily.email]
    assert "3 notifications" in message.subject
    body = message.body
    # Grouped: each kind's heading once, its items under it, kinds in a stable order.
    assert body.count("== Mentions (2) ==") == 1
    assert body.count("== Ouverture des votes (1) ==") == 1
    assert body.index("Mentions") < body.index("Seconde mention") < body.index("Ouverture des votes")
    assert "http://testserver/espaces/a/" in body
    html = message.alternatives[0][0]
    assert '<a href="http://testserver/espaces/a/">Mention dans « Accueil »</a>' in html
    assert Digest.objects.get().count == 3
    assert Notification.objects.filter(recipient=daily, digest__isnull=True).count() == 0

    # Running again sends nothing more.
    assert send_digests("daily") == 0
    assert len(outbox()) == 1

    # A new notification goes in the next digest, alone.
    notify([daily], kind=Kind.UPDATE, title="Nouvelle mise à jour")
    assert send_digests("daily") == 1
    assert "1 notification" in outbox()[1].subject
    assert "Seconde mention" not in outbox()[1].body


def test_weekly_digest_only_for_weekly_people_and_per_kind_preferences():
    daily, weekly, quiet = _digest_people()
    do_set_preferences(daily, {Kind.TRAINING: Delivery.WEEKLY})
    do_set_preferences(quiet, {Kind.TRAINING: Delivery.WEEKLY})
    notify([daily, weekly, quiet], kind=Kind.TRAINING, title="Nouvelle séance")
    notify([daily, weekly, quiet], kind=Kind.DEMAND, title="Revendication adoptée")
    assert send_digests("weekly") == 3
    bodies = {m.to[0]: m.body for m in outbox()}
    assert "Nouvelle séance" in bodies[daily.email]
    assert "Revendication adoptée" not in bodies[daily.email]  # daily kind: not in the weekly
    assert "Revendication adoptée" in bodies[weekly.email]
    assert "Revendication adoptée" not in bodies[quiet.email]  # in-app only
    assert send_digests("weekly") == 0
    # The daily kind is still waiting for the daily digest.
    assert send_digests("daily") == 1
    assert "Revendication adoptée" in outbox()[-1].body


def test_read_old_and_already_emailed_notifications_are_left_out():
    daily, _weekly, _quiet = _digest_people()
    [read] = notify([daily], kind=Kind.REPLY, title="Déjà lue")
    read.read_at = timezone.now()
    read.save()
    [old] = notify([daily], kind=Kind.REPLY, title="Trop ancienne")
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    [emailed] = notify([daily], kind=Kind.REPLY, title="Déjà envoyée")
    Notification.objects.filter(pk=emailed.pk).update(emailed_at=timezone.now())
    assert send_digests("daily") == 0


def test_digest_is_written_in_the_persons_language():
    person = UserFactory(notification_preference=Delivery.DAILY, language="en", first_name="Ines")
    notify([person], kind=Kind.MODERATION, title="Message retiré")
    send_digests("daily")
    message = outbox()[0]
    assert message.subject.startswith("[TCRI-PASI Workspace] Your daily digest")
    assert "Hello Ines" in message.body
    assert "== Moderation (1) ==" in message.body
    assert "http://testserver/en/notifications/desabonnement/" in message.body


def test_a_digest_that_cannot_be_queued_leaves_the_notifications_for_the_next_run(monkeypatch):
    from tcri_site.notifications import services

    daily, _weekly, _quiet = _digest_people()
    notify([daily], kind=Kind.REPLY, title="Réponse")

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(services, "_queue_digest", broken)
    assert send_digests("daily") == 0
    assert Digest.objects.count() == 0
    monkeypatch.undo()
    assert send_digests("daily") == 1


def test_command_refuses_bad_arguments():
    with pytest.raises(CommandError, match="daily, weekly"):
        call_command("send_digests", "--frequency", "hourly")
    with pytest.raises(CommandError, match="required"):
        call_command("send_digests")


# --- unsubscribe ---------------------------------------------------------------------


def test_unsubscribe_link_from_a_digest_works_without_login(client):
    daily, _weekly, _quiet = _digest_people()
    notify([daily], kind=Kind.MENTION, title="Mention")
    send_digests("daily")
    body = outbox()[0].body
    line = next(line for line in body.splitlines() if "« Mentions »" in line)
    url = line.split(" : ")[-1].strip().removeprefix("http://testserver")

    page = client.get(url)
    assert page.status_code == 200
    assert "Confirmer le désabonnement" in page.content.decode()
    assert preferences(daily)[Kind.MENTION] == Delivery.DAILY  # a GET changes nothing

    done = client.post(url)
    assert done.status_code == 200
    assert preferences(daily)[Kind.MENTION] == Delivery.IN_APP
    assert preferences(daily)[Kind.VOTE] == Delivery.DAILY

    # And the next digest leaves mentions out.
    notify([daily], kind=Kind.MENTION, title="Encore une mention")
    assert send_digests("daily") == 0


def test_unsubscribe_from_everything(client):
    person = UserFactory(notification_preference=Delivery.IMMEDIATE)
    response = client.post(reverse("notifications:unsubscribe", args=[unsubscribe_token(person)]))
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.notification_preference == Delivery.IN_APP
    assert set(preferences(person).values()) == {Delivery.IN_APP}


def test_tampered_or_foreign_tokens_are_refused(client):
    victim = UserFactory(notification_preference=Delivery.DAILY)
    attacker = UserFactory(notification_preference=Delivery.DAILY)
    good = unsubscribe_token(attacker, Kind.VOTE)
    assert read_unsubscribe_token(good) == (attacker, Kind.VOTE)

    payload, signature = good.rsplit(":", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    from django.core import signing

    forged_other_person = signing.dumps(
        {"u": victim.pk, "k": "*", "e": victim.email}, salt="wrong-salt", compress=True
    )
    for token in [
        f"{payload}:{flipped}",
        good.replace(good[2], "x" if good[2] != "x" else "y", 1),
        forged_other_person,
        "garbage",
        "a" * 600,
    ]:
        with pytest.raises(InvalidUnsubscribeToken):
            read_unsubscribe_token(token)
        response = client.post(reverse("notifications:unsubscribe", args=[token]))
        assert response.status_code == 400
        assert "pas valide" in response.content.decode()
    assert set(preferences(victim).values()) == {Delivery.DAILY}
    assert set(preferences(attacker).values()) == {Delivery.DAILY}


def test_a_token_stops_working_when_the_address_changes():
    person = UserFactory()
    token = unsubscribe_token(person)
    person.email = "nouvelle.adresse@test.tcri.example"
    person.save()
    with pytest.raises(InvalidUnsubscribeToken):
        read_unsubscribe_token(token)
