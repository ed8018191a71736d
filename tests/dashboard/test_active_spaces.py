"""« Espaces d'échange les plus actifs »: recent, visible messages, ranked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forum.figures import active_spaces
from tests.factories import make_member

pytestmark = pytest.mark.django_db



def test_most_active_spaces(organisation):
    from forum.models import Message, Space
    from forum.services import do_create_thread, do_post_message

    busy = Space.objects.create(name="Accueil", slug="accueil-tdb")
    quiet = Space.objects.create(name="Logement", slug="logement-tdb")
    Space.objects.create(name="Fermé", slug="ferme-tdb", is_active=False)
    a, b, c = (make_member(organisation) for _ in range(3))

    thread = do_create_thread(actor=a, space=busy, title="Q1", body="Premier")
    do_post_message(actor=b, thread_id=thread.pk, body="Deux")
    do_post_message(actor=c, thread_id=thread.pk, body="Trois")
    hidden = do_post_message(actor=c, thread_id=thread.pk, body="Masqué").message
    Message.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    old = do_create_thread(actor=a, space=busy, title="Vieux", body="Ancien")
    Message.objects.filter(thread=old).update(created_at=timezone.now() - timedelta(days=45))
    do_create_thread(actor=b, space=quiet, title="Q2", body="Un seul")

    figure = active_spaces()
    assert figure.rows == [["Accueil", 3, 1, 3], ["Logement", 1, 1, 1]]
    assert figure.bars == [("Accueil", 3), ("Logement", 1)]
    assert figure.links[0] == busy.get_absolute_url()
