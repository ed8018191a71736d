"""Lifecycle matrix: every role × every state × every transition, allowed or refused."""

import pytest
from django.contrib.auth.models import AnonymousUser
from wagtail.models import ModelLogEntry

from advocacy import services
from advocacy.models import Demand, DemandState
from advocacy.services import InvalidState, NotAllowed
from tcri_site.members.models import Role
from tests.advocacy.conftest import make_demand
from tests.factories import make_member

ROLES = ["anonymous", "outsider", "member", "proposer", "other_delegate", "substitute", "project_lead", "administrator"]
ALLOWED_ROLES = {
    "submit": {"proposer", "project_lead"},
    "schedule": {"project_lead"},
    "withdraw": {"proposer", "project_lead"},
    "transmit": {"project_lead"},
    "follow_up": {"project_lead"},
}
SOURCES = {
    "submit": {DemandState.DRAFT},
    "schedule": {DemandState.CONSULTATION},
    "withdraw": {DemandState.DRAFT, DemandState.CONSULTATION, DemandState.AGENDA},
    "transmit": {DemandState.ADOPTED},
    "follow_up": {DemandState.TRANSMITTED, DemandState.FOLLOW_UP},
}
TARGET = {
    "submit": DemandState.CONSULTATION,
    "schedule": DemandState.AGENDA,
    "withdraw": DemandState.WITHDRAWN,
    "transmit": DemandState.TRANSMITTED,
    "follow_up": DemandState.FOLLOW_UP,
}


@pytest.fixture
def people(organisation, other_organisation, member, delegate, substitute, project_lead, administrator, outsider):
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "member": member,
        "proposer": delegate,
        "other_delegate": make_member(other_organisation, Role.DELEGUE),
        "substitute": substitute,
        "project_lead": project_lead,
        "administrator": administrator,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", DemandState.values)
@pytest.mark.parametrize("action", list(ALLOWED_ROLES))
def test_transition_matrix(state, action, people, organisation):
    for role in ROLES:
        demand = make_demand(organisation, state=state, title=f"{role}-{state}-{action}")
        user = people[role]
        role_ok = role in ALLOWED_ROLES[action]
        state_ok = state in SOURCES[action]
        kwargs = {"mifi_response": "Réponse reçue."} if action == "follow_up" else {}
        if role_ok and state_ok:
            services.do_transition(actor=user, demand=demand, action=action, **kwargs)
            demand.refresh_from_db()
            assert demand.state == TARGET[action], (role, state, action)
            entry = ModelLogEntry.objects.filter(object_id=str(demand.pk), action=f"advocacy.demand.{action}").get()
            assert entry.user_id == user.pk
        else:
            expected = NotAllowed if not role_ok else InvalidState
            with pytest.raises(expected) as info:
                services.do_transition(actor=user, demand=demand, action=action, **kwargs)
            assert info.value.message  # a clear, translated sentence
            demand.refresh_from_db()
            assert demand.state == state, (role, state, action)
            assert not ModelLogEntry.objects.filter(object_id=str(demand.pk), action__startswith="advocacy.demand.").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("state", DemandState.values)
def test_comment_and_amend_matrix(state, people, organisation):
    demand = make_demand(organisation, state=state)
    for role in ROLES:
        user = people[role]
        may_comment = role in {"member", "proposer", "other_delegate", "substitute", "project_lead", "administrator"} and state == DemandState.CONSULTATION
        may_amend = role in {"proposer", "other_delegate"} and state in (DemandState.CONSULTATION, DemandState.AGENDA)
        if may_comment:
            assert services.do_comment(actor=user, demand=demand, body=f"Avis de {role}").pk
        else:
            with pytest.raises(NotAllowed):
                services.do_comment(actor=user, demand=demand, body=f"Avis de {role}")
        if may_amend:
            assert services.do_propose_amendment(actor=user, demand=demand, proposed_text=demand.text + f"\n\nAjout {role}.", rationale="Préciser.").pk
        else:
            with pytest.raises(NotAllowed):
                services.do_propose_amendment(actor=user, demand=demand, proposed_text=demand.text + " x", rationale="r")


@pytest.mark.django_db
def test_follow_up_requires_an_answer(project_lead, organisation):
    demand = make_demand(organisation, state=DemandState.TRANSMITTED)
    with pytest.raises(services.InvalidInput):
        services.do_transition(actor=project_lead, demand=demand, action="follow_up")
    demand.refresh_from_db()
    assert demand.state == DemandState.TRANSMITTED


@pytest.mark.django_db
def test_transition_over_http_refuses_with_403_and_message(client, member, organisation):
    demand = make_demand(organisation, state=DemandState.CONSULTATION)
    client.force_login(member)
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/etape/schedule/")
    assert response.status_code == 403
    assert "chargée de projet" in response.content.decode()
    demand.refresh_from_db()
    assert demand.state == DemandState.CONSULTATION


@pytest.mark.django_db
def test_transition_over_http_by_lead(client, project_lead, organisation):
    demand = make_demand(organisation, state=DemandState.CONSULTATION)
    client.force_login(project_lead)
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/etape/schedule/")
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.state == DemandState.AGENDA
    # Wrong state now: a clear refusal, not a 500.
    response = client.post(f"/forum-pasi/revendications/{demand.pk}/etape/schedule/")
    assert response.status_code == 409


# --- Rule names are not model permissions ------------------------------------------------


def test_no_rule_is_named_like_a_model_permission():
    import rules
    from django.apps import apps
    from django.contrib.auth.management import _get_all_permissions

    codenames = {
        f"advocacy.{codename}"
        for model in apps.get_app_config("advocacy").get_models()
        for codename, _name in _get_all_permissions(model._meta)
    }
    ours = {name for name in rules.permissions.permissions if name.startswith("advocacy.")}
    assert ours and not ours & codenames, ours & codenames


@pytest.mark.django_db
def test_administrator_is_refused_proposing_a_demand(client, administrator):
    """Staff hold the model permission advocacy.add_demand; proposing asks another rule."""
    assert administrator.has_perm("advocacy.add_demand")  # the model backend's grant
    assert not administrator.has_perm("advocacy.propose_demand")
    with pytest.raises(NotAllowed):
        services.do_create_demand(actor=administrator, title="Titre", text="Texte.")
    client.force_login(administrator)
    assert client.get("/forum-pasi/revendications/nouvelle/").status_code == 403
    response = client.post("/forum-pasi/revendications/nouvelle/", {"title": "Titre", "text": "Texte."})
    assert response.status_code == 403
    assert not Demand.objects.filter(title="Titre").exists()
    assert "Proposer une revendication" not in client.get("/forum-pasi/").content.decode()
