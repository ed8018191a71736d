"""Comments and amendments of the advocacy consultation: the same warning and confirmation."""

import pytest

from advocacy import services
from advocacy.models import Amendment, Comment
from tcri_site.privacy_guard.guard import IdentifiersFound
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db

TEXT = "Cas de M. Touré, IUC 12-3456-7890, en attente depuis un an."


def test_comment_service_asks_for_confirmation(organisation, delegate):
    demand = make_demand(organisation)
    with pytest.raises(IdentifiersFound) as caught:
        services.do_comment(actor=delegate, demand=demand, body=TEXT)
    assert caught.value.kinds == ["uci"]
    assert not Comment.objects.exists()
    services.do_comment(actor=delegate, demand=demand, body=TEXT, confirmed=True)
    assert Comment.objects.get().body == TEXT


def test_comment_page_warns_keeps_text_and_posts_when_ticked(client, organisation, delegate):
    demand = make_demand(organisation)
    client.force_login(delegate)
    url = f"/forum-pasi/revendications/{demand.pk}/commentaires/"
    response = client.post(url, {"body": TEXT})
    page = response.content.decode()
    assert response.status_code == 400
    assert "identifiant client d&#x27;IRCC" in page and 'type="checkbox"' in page and "12-3456-7890" in page
    assert not Comment.objects.exists()
    assert client.post(url, {"body": TEXT, "confirm_identifiers": "on"}).status_code == 302
    assert Comment.objects.get().body == TEXT


def test_amendment_rationale_and_new_text_are_checked(organisation, delegate):
    demand = make_demand(organisation)
    with pytest.raises(IdentifiersFound):
        services.do_propose_amendment(
            actor=delegate, demand=demand, proposed_text=demand.text + "\n\nNAS 130 692 544", rationale="Exemple"
        )
    with pytest.raises(IdentifiersFound):
        services.do_propose_amendment(
            actor=delegate, demand=demand, proposed_text=demand.text + " Ajout.", rationale="Elle est née le 12/03/1990"
        )
    assert not Amendment.objects.exists()
    services.do_propose_amendment(actor=delegate, demand=demand, proposed_text=demand.text + " Ajout.", rationale="Plus clair")
    assert Amendment.objects.count() == 1


def test_amendment_form_shows_the_box(client, organisation, delegate):
    demand = make_demand(organisation)
    client.force_login(delegate)
    url = f"/forum-pasi/revendications/{demand.pk}/amender/"
    data = {"proposed_text": demand.text + " Ajout.", "rationale": "NAS 130 692 544"}
    response = client.post(url, data)
    assert response.status_code == 400 and 'name="confirm_identifiers"' in response.content.decode()
    assert client.post(url, {**data, "confirm_identifiers": "on"}).status_code == 302
    assert Amendment.objects.count() == 1
