"""The staff's side: demands, sessions and motions in the Wagtail admin, with revisions,
comparison and the audit log; the forum's blocks on the home page."""

import pytest
from django.urls import reverse

from advocacy import services
from advocacy.models import DemandState, Motion
from tests.advocacy.conftest import make_demand

pytestmark = pytest.mark.django_db


def test_admin_lists_edits_and_compares_demand_revisions(client, project_lead, organisation):
    demand = make_demand(organisation, state=DemandState.CONSULTATION, text="Version une.")
    demand.text = "Version deux."
    demand.save_revision(user=project_lead).publish(user=project_lead, skip_permission_checks=True)
    client.force_login(project_lead)
    listing = client.get("/admin/snippets/advocacy/demand/")
    assert listing.status_code == 200 and demand.title in listing.content.decode()
    assert client.get(f"/admin/snippets/advocacy/demand/edit/{demand.pk}/").status_code == 200
    revisions = list(demand.revisions.order_by("pk"))
    compare = client.get(
        reverse("wagtailsnippets_advocacy_demand:revisions_compare", args=[demand.pk, revisions[0].pk, revisions[1].pk])
    )
    assert compare.status_code == 200 and "deux" in compare.content.decode()
    services.do_transition(actor=project_lead, demand=demand, action="schedule")
    history = client.get(reverse("wagtailsnippets_advocacy_demand:history", args=[demand.pk]))
    assert history.status_code == 200 and "ordre du jour" in history.content.decode()


def test_admin_sessions_and_motions(client, project_lead, forum_session, organisation):
    demand = make_demand(organisation, state=DemandState.AGENDA)
    Motion.objects.create(session=forum_session, demand=demand, title="Proposition en admin")
    client.force_login(project_lead)
    assert client.get("/admin/snippets/advocacy/forumsession/").status_code == 200
    assert client.get(f"/admin/snippets/advocacy/forumsession/edit/{forum_session.pk}/").status_code == 200
    page = client.get("/admin/snippets/advocacy/motion/")
    assert page.status_code == 200 and "Proposition en admin" in page.content.decode()


def test_delegate_has_no_admin(client, delegate):
    client.force_login(delegate)
    assert client.get("/admin/snippets/advocacy/demand/").status_code in (302, 403)


def test_home_page_shows_forum_blocks(client, delegate, forum_session):
    client.force_login(delegate)
    response = client.get("/")
    assert response.status_code == 200  # the home migration creates the page
    body = response.content.decode()
    assert "Prochaine séance du forum" in body and forum_session.title in body


def test_publishing_an_update_in_the_admin_notifies_subscribers_once(
    client, django_capture_on_commit_callbacks, project_lead, member, organisation
):
    from django.core import mail
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    from advocacy.models import UpdatePage, UpdateSubscription
    from tcri_site.notifications.models import Notification
    from tests.advocacy.test_pages import _update_index

    index = _update_index()
    demand = make_demand(organisation, state=DemandState.TRANSMITTED)
    UpdateSubscription.objects.create(user=member)
    client.force_login(project_lead)
    data = nested_form_data({
        "title": "Réponse écrite du MIFI",
        "slug": "reponse-ecrite",
        "date": "2026-11-20",
        "summary": "Le MIFI répond par écrit.",
        "body": streamfield([("heading", "Ce que dit la lettre")]),
        "action-publish": "action-publish",
    })
    data["volets"] = ["4"]  # plain multi-valued fields, outside the nested (indexed) data
    data["demands"] = [str(demand.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/pages/add/advocacy/updatepage/{index.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = UpdatePage.objects.get(slug="reponse-ecrite")
    assert page.live and page.announced_at is not None and list(page.demands.all()) == [demand]
    assert [v.number for v in page.volets.all()] == [4]
    assert Notification.objects.filter(recipient=member, kind="update").count() == 1
    assert any("Réponse écrite du MIFI" in m.subject for m in mail.outbox)
    # Publishing again does not announce twice.
    page.save_revision(user=project_lead).publish(user=project_lead, skip_permission_checks=True)
    assert Notification.objects.filter(recipient=member, kind="update").count() == 1


def test_workflow_approval_puts_the_demand_on_the_agenda(project_lead, delegate, organisation):
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow, WorkflowTask

    from advocacy.models import AgendaApprovalTask
    from tcri_site.members.models import StaffRole

    task = AgendaApprovalTask.objects.create(name="Relecture")
    task.groups.set([Group.objects.get(name=StaffRole.PROJECT_LEAD.value)])
    workflow = Workflow.objects.create(name="Validation")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    demand = make_demand(organisation, state=DemandState.CONSULTATION)
    state = workflow.start(demand, delegate)
    task_state = state.current_task_state
    assert task.get_actions(demand, delegate) == []  # a délégué·e cannot approve
    assert task.get_actions(demand, project_lead)
    task.on_action(task_state, project_lead, "approve")
    demand.refresh_from_db()
    assert demand.state == DemandState.AGENDA
    state.refresh_from_db()
    assert state.status == state.STATUS_APPROVED
