"""Erasure anonymises the person and leaves the organisation's records in place."""

import json

import pytest
from django.apps import apps
from django.db import models

from advocacy.models import Ballot
from forum.models import Message
from tcri_site.members.models import User
from tcri_site.privacy.errors import AlreadyErased
from tcri_site.privacy.models import ErasureLog, ErasureReason, PolicyAcceptance
from tcri_site.privacy.services import do_erase_person

pytestmark = pytest.mark.django_db


def _tables_holding(text: str) -> list[str]:
    """Every model and text field where ``text`` still appears."""
    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField, models.JSONField))]
        for name in fields:
            if model._default_manager.filter(**{f"{name}__icontains": text}).exists():
                found.append(f"{model._meta.label}.{name}")
    return found


def test_confirmed_request_anonymises_and_keeps_the_record(client, rich_person, open_motion):
    email, organisation = rich_person.email, rich_person.organisation
    client.force_login(rich_person)
    form = client.get("/confidentialite/mes-donnees/effacer/").content.decode()
    assert "définitif" in form
    wrong = client.post("/confidentialite/mes-donnees/effacer/", {"email": "autre@test.tcri.example", "confirm": "on"})
    assert wrong.status_code == 400 and "ne correspond pas" in wrong.content.decode()
    assert not ErasureLog.objects.exists() and User.objects.get(pk=rich_person.pk).email == email

    done = client.post("/confidentialite/mes-donnees/effacer/", {"email": email.upper(), "confirm": "on"})
    assert done.status_code == 302
    person = User.objects.get(pk=rich_person.pk)
    assert person.is_anonymised and person.email.endswith("@anonyme.invalid")
    assert not person.has_usable_password() and not person.is_active
    assert _tables_holding(email) == [] and _tables_holding("Zéphyrine") == [] and _tables_holding("Quatremains") == []
    log = ErasureLog.objects.get()
    assert log.user_id_erased == person.pk and log.reason == ErasureReason.REQUEST and log.erased_by is None
    assert PolicyAcceptance.objects.filter(user=person).count() == 1  # kept as a record

    # The session ended: the next request is anonymous.
    assert client.get("/comptes/profil/").status_code == 302
    # The organisation's ballot stays; the message stays, signed "Ancien·ne membre".
    assert Ballot.objects.get(motion=open_motion).organisation == organisation
    message = Message.objects.get(author=person)
    assert message.body == "Bonjour, message de la déléguée."
    from tests.factories import make_member

    reader = make_member(organisation)
    client.force_login(reader)
    assert "Ancien·ne membre" in client.get(f"/espaces/fil/{message.thread_id}/").content.decode()

    # The export of that person now holds no personal data.
    data = do_export_text(person)
    assert email not in data and "Zéphyrine" not in data and "Quatremains" not in data

    # Signing in with the old address fails; a second erasure is refused clearly.
    client.logout()
    login = client.post("/comptes/connexion/", {"username": email, "password": "motdepasse-test-123"})
    assert login.status_code == 200 and "_auth_user_id" not in client.session
    with pytest.raises(AlreadyErased) as refusal:
        do_erase_person(actor=person, person=person)
    assert "déjà été effacé" in str(refusal.value)


def do_export_text(person) -> str:
    from tcri_site.privacy.services import build_export

    return json.dumps(build_export(person), default=str, ensure_ascii=False)


def test_staff_erasure_removes_messages_when_asked(client, rich_person, project_lead, member):
    client.force_login(project_lead)
    response = client.post(f"/confidentialite/personnes/{rich_person.pk}/effacer/", {"remove_messages": "on", "confirm": "on"})
    assert response.status_code == 302
    log = ErasureLog.objects.get()
    assert log.reason == ErasureReason.STAFF and log.erased_by == project_lead and log.messages_removed
    message = Message.objects.get(author_id=rich_person.pk)
    assert message.body == "" and message.is_deleted and not message.revisions.exists()
    assert Message.objects.get(author=member).body == "Texte du collègue seulement."
    again = client.post(f"/confidentialite/personnes/{rich_person.pk}/effacer/", {"confirm": "on"})
    assert again.status_code == 400 and "déjà été effacé" in again.content.decode()
    client.force_login(member)
    assert client.post(f"/confidentialite/personnes/{project_lead.pk}/effacer/", {"confirm": "on"}).status_code == 403
