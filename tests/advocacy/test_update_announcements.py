"""Publishing an implementation update: who is told, how, in which language, and how to stop."""

import re

from django.core import mail

from advocacy import services
from advocacy.models import DemandState, UpdatePage, UpdateSubscription
from tcri_site.members.models import Role
from tcri_site.notifications.models import Delivery, Kind, Notification
from tcri_site.notifications.services import send_digests
from tests.advocacy.conftest import make_demand
from tests.advocacy.test_pages import _update_index
from tests.factories import OrganisationFactory, make_member


def _publish(demands=()):
    page = UpdatePage(title="Entente signée avec le MIFI", slug="entente-signee", summary="Les délais baissent.")
    _update_index().add_child(instance=page)
    page.demands.set(demands)
    page.save_revision().publish(skip_permission_checks=True)
    return page


def _announce_to_subscriber(person, actor, capture, **profile):
    """``person`` (with ``profile`` saved) subscribes; an update is published and announced
    after a clean outbox."""
    for name, value in profile.items():
        setattr(person, name, value)
    person.save()
    UpdateSubscription.objects.create(user=person)
    page = _publish()
    mail.outbox.clear()
    with capture(execute=True):
        services.do_announce_update(page=page, actor=actor)


def test_a_subscriber_who_wants_every_email_at_once_gets_the_update_once(
    django_capture_on_commit_callbacks, member, project_lead
):
    _announce_to_subscriber(
        member, project_lead, django_capture_on_commit_callbacks, notification_preference=Delivery.IMMEDIATE
    )
    to_member = [m for m in mail.outbox if m.to == [member.email]]
    assert len(to_member) == 1
    assert to_member[0].subject == "Suivi de l'implantation : Entente signée avec le MIFI"
    assert "Les délais baissent." in to_member[0].body
    assert Notification.objects.get(recipient=member, kind=Kind.UPDATE).emailed_at is not None
    # The e-mail stood for the notification: no digest repeats it.
    assert send_digests(Delivery.DAILY) == 0 and send_digests(Delivery.WEEKLY) == 0


def test_the_update_email_is_in_the_subscribers_language_and_unsubscribes_in_one_click(
    client, django_capture_on_commit_callbacks, member, project_lead
):
    _announce_to_subscriber(member, project_lead, django_capture_on_commit_callbacks, language="en")
    (message,) = mail.outbox
    assert message.subject == "Implementation update: Entente signée avec le MIFI"
    assert message.body.startswith("Hello")
    link = re.search(r"https?://\S+/desabonnement/\S+/", message.body).group(0)
    assert message.extra_headers["List-Unsubscribe"] == f"<{link}>"
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # a bare GET (mail scanners) changes nothing
    assert UpdateSubscription.objects.filter(user=member).exists()
    assert client.post(path).status_code == 200
    assert not UpdateSubscription.objects.filter(user=member).exists()


def test_the_linked_demands_organisations_are_told_as_their_preferences_say(
    django_capture_on_commit_callbacks, organisation, delegate, project_lead
):
    cosigner = OrganisationFactory()
    cosigner_delegate = make_member(cosigner, Role.DELEGUE, notification_preference=Delivery.IMMEDIATE)
    bystander = make_member(OrganisationFactory(), Role.DELEGUE)
    demand = make_demand(organisation, state=DemandState.TRANSMITTED)
    demand.cosigners.add(cosigner)
    demand.save()  # a ParentalManyToManyField writes on save
    page = _publish([demand])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        told = services.do_announce_update(page=page, actor=project_lead)
    assert told == 2
    assert Notification.objects.filter(kind=Kind.UPDATE, recipient=delegate).count() == 1
    assert Notification.objects.filter(kind=Kind.UPDATE, recipient=cosigner_delegate).count() == 1
    assert not Notification.objects.filter(recipient=bystander).exists()
    # Only the one who asked for immediate e-mail gets one now; the other waits for a digest.
    assert [m.to for m in mail.outbox] == [[cosigner_delegate.email]]
