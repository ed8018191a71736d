"""Implementation updates: subscriptions, and announcing a newly published update to the
subscribers (e-mail) and to the organisations behind its demands (notifications)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from advocacy.models import UpdatePage, UpdateSubscription
from advocacy.services.common import _representatives_qs, _require
from tcri_site.mail.services import Email, enqueue_emails
from tcri_site.members.models import Organisation
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import (
    language_of,
    notify,
    unsubscribe_headers,
    unsubscribe_url,
)

logger = logging.getLogger(__name__)




def do_subscribe(*, actor, subscribe: bool = True) -> bool:
    _require(actor, "advocacy.subscribe_updates")
    if subscribe:
        UpdateSubscription.objects.get_or_create(user=actor)
    else:
        UpdateSubscription.objects.filter(user=actor).delete()
    return subscribe


def do_announce_update(*, actor, page: UpdatePage) -> int:
    """Tell subscribers and the organisations behind the linked demands about a newly
    published update; return how many people were told.

    Subscribers asked for the updates by e-mail: each gets the update itself, in their own
    language, with a one-click unsubscribe link, and an in-app notification that this e-mail
    stands for (never a second e-mail or a digest entry). The délégué·es and substitut·es of
    the demands' organisations are notified as their preferences say.
    """
    from tcri_site.members.models import User

    subscribers = {u.pk: u for u in User.objects.filter(advocacy_subscription__isnull=False, is_active=True)}
    demand_ids = [demand.pk for demand in page.demands.all()]
    organisations = Organisation.objects.filter(
        Q(proposed_demands__in=demand_ids) | Q(cosigned_demands__in=demand_ids)
    ).distinct()
    others = [u for u in _representatives_qs(organisations) if u.pk not in subscribers]
    told = {"kind": Kind.UPDATE, "title": lambda: _update_title(page), "url": page.url or "", "body": page.summary}
    emails = [u for u in subscribers.values() if actor is None or u.pk != actor.pk]
    with transaction.atomic():  # the notifications and the e-mails, together or not at all
        notify(subscribers.values(), **told, actor=actor, email=False)
        notify(others, **told, actor=actor)
        enqueue_emails([_update_email(page, person) for person in emails])
    return len(subscribers) + len(others)


def _update_title(page: UpdatePage) -> str:
    return _("Suivi de l'implantation : %(title)s") % {"title": page.title}


def _update_email(page: UpdatePage, person) -> Email:
    language = language_of(person)
    with translation.override(language):
        unsubscribe = unsubscribe_url(person, Kind.UPDATE)
        subject = _update_title(page)
        body = render_to_string(
            "advocacy/email/update.txt",
            {"page": page, "person": person, "site_url": settings.SITE_URL, "unsubscribe_url": unsubscribe},
        )
    return Email(key=f"update:{page.pk}:{person.pk}", to=person.email, subject=subject, body=body,
                 headers=unsubscribe_headers(unsubscribe), language=language)
