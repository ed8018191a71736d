"""Moderation services: Report.status changes through the model (post_save sees it), and
refusals are ForumRefusal kinds of the foundation's Refusal."""

import pytest
from django.db.models.signals import post_save

from forum import services
from forum.errors import Forbidden, ForumRefusal, UnknownMessage
from forum.models import Report, ReportStatus
from tcri_site.errors import NotAllowed, NotFound, Refusal
from tests.forum.conftest import make_space, make_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def saved_reports():
    seen = []

    def receiver(sender, instance, created, **kwargs):
        if not created:
            seen.append(instance.status)

    post_save.connect(receiver, sender=Report, dispatch_uid="test_moderation")
    yield seen
    post_save.disconnect(sender=Report, dispatch_uid="test_moderation")


def test_hiding_a_message_closes_its_open_reports_through_the_model(member, colleague, administrator, saved_reports):
    space = make_space("modo")
    message = make_thread(space, member).messages.get()
    services.do_report_message(actor=colleague, message_id=message.pk, reason="Hors sujet")
    services.do_set_hidden(actor=administrator, message_id=message.pk, hidden=True)
    report = Report.objects.get()
    assert report.status == ReportStatus.HIDDEN and report.resolved_by == administrator
    assert saved_reports == [ReportStatus.HIDDEN]  # post_save saw the change (search, audit)


def test_dismissing_goes_through_the_model(member, colleague, administrator, saved_reports):
    space = make_space("modo2")
    message = make_thread(space, member).messages.get()
    report = services.do_report_message(actor=colleague, message_id=message.pk, reason="Doublon")
    services.do_resolve_report(actor=administrator, report_id=report.pk, hide=False)
    assert saved_reports == [ReportStatus.DISMISSED]


def test_refusals_are_forum_refusals_of_the_foundation(member, colleague):
    space = make_space("refus")
    message = make_thread(space, member).messages.get()
    with pytest.raises(Forbidden) as refused:
        services.do_set_hidden(actor=colleague, message_id=message.pk, hidden=True)
    assert isinstance(refused.value, ForumRefusal) and isinstance(refused.value, NotAllowed)
    assert refused.value.code == "forbidden" and refused.value.status == 403
    with pytest.raises(UnknownMessage) as missing:
        services.do_delete_message(actor=member, message_id=10**9)
    assert isinstance(missing.value, NotFound) and isinstance(missing.value, Refusal)
    assert missing.value.code == "unknown_message" and str(missing.value.message)
