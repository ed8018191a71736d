"""Demo notifications for the demo accounts, so the centre, the badge and the digests have
something to show. Idempotent: a notification is only created if its title is missing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tcri_site.members.models import User
from tcri_site.notifications.models import Kind, Notification

DEMO_ACCOUNTS = [
    "delegue@demo.tcri.example",
    "substitut@demo.tcri.example",
    "coordination@demo.tcri.example",
    "membre@demo.tcri.example",
    "projet@demo.tcri.example",
]

ITEMS = [
    (Kind.MENTION, "Amina Tremblay-Nguyen vous a mentionné·e dans « Accueil des familles »", "forum:index"),
    (Kind.REPLY, "Jonas Bélanger vous a répondu dans « Délais de la RAMQ »", "forum:index"),
    (Kind.TRAINING, "Nouvelle séance : Les statuts migratoires, vue d'ensemble", "trainings:index"),
    (Kind.REGISTRATION, "Une place s'est libérée : vous êtes inscrit·e à « Recours : ERAR et CH »", "trainings:index"),
    (Kind.CONVOCATION, "Convocation : séance d'automne du forum TCRI-PASI", "advocacy:index"),
    (Kind.VOTE, "Vote ouvert : accès aux services pour les personnes en attente de CSQ", "advocacy:index"),
    (Kind.DEMAND, "« Délais de traitement des demandes d'asile » : Transmise au MIFI", "advocacy:index"),
    (Kind.UPDATE, "Suivi de l'implantation : nouvelle entente de financement", "advocacy:updates"),
    (Kind.MODERATION, "Votre message dans « Logement temporaire » a été rétabli par la modération.", "forum:index"),
]


# After the apps whose pages these notifications link to (see seed_demo).
SEED_ORDER = 80


def seed(ctx) -> None:
    people = list(User.objects.filter(email__in=DEMO_ACCOUNTS))
    wanted = []
    for round_ in range(ctx.scale):
        suffix = f" ({round_ + 1})" if round_ else ""
        for kind, title, url_name in ITEMS:
            wanted.append((kind, title + suffix, url_name))
    existing = set(
        Notification.objects.filter(recipient__in=people).values_list("recipient_id", "title")
    )
    progress = ctx.progress(len(people), "Notifications")
    now = timezone.now()
    rows = []
    for person in people:
        for i, (kind, title, url_name) in enumerate(wanted):
            if (person.pk, title) in existing:
                continue
            when = now - timedelta(hours=3 * i)
            rows.append(
                Notification(
                    recipient=person,
                    kind=kind,
                    title=title[:255],
                    url=reverse(url_name),
                    # Older ones read, the five newest unread: the badge shows a number.
                    read_at=when if i >= 5 else None,
                    # Already "sent": digests of the demo do not mail invented history.
                    emailed_at=when,
                )
            )
        progress.advance()
    with transaction.atomic():
        created = Notification.objects.bulk_create(rows, batch_size=500)
        # created_at is set on insert: spread the demo history over the last days.
        ids = [n.pk for n in created]
        for i, (_kind, title, _url_name) in enumerate(wanted):
            Notification.objects.filter(pk__in=ids, title=title[:255]).update(
                created_at=now - timedelta(hours=3 * i)
            )
    if created:
        ctx.say(f"Notifications : {len(created)} créées pour les comptes de démonstration")
