"""Following a demand: comments, amendments and changes of state notify its followers
(once, by their preferences); muting silences; people who may not see it cannot follow."""

import pytest
from django.urls import reverse

from advocacy import services
from advocacy.errors import AdvocacyRefusal
from advocacy.models import DemandState
from tcri_site.members.models import Role
from tcri_site.notifications.models import Follow, Kind, Notification
from tests.advocacy.conftest import make_demand
from tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


def followed_notices(user):
    return list(Notification.objects.filter(recipient=user, kind=Kind.FOLLOWED).values_list("title", flat=True))


def test_comments_and_amendments_notify_followers_not_the_muted(demand, member, delegate):
    reader = make_member(OrganisationFactory(), Role.MEMBRE)
    quiet = make_member(OrganisationFactory(), Role.MEMBRE)
    assert services.do_follow_demand(actor=reader, demand=demand, mode="follow") == ("follow", True)
    assert services.do_follow_demand(actor=reader, demand=demand, mode="follow") == ("follow", False)
    services.do_follow_demand(actor=quiet, demand=demand, mode="follow")
    services.do_follow_demand(actor=quiet, demand=demand, mode="mute")
    services.do_comment(actor=member, demand=demand, body="Un avis")
    services.do_propose_amendment(actor=delegate, demand=demand, proposed_text="Que le MIFI finance Y.", rationale="Plus clair")
    notices = followed_notices(reader)
    assert len(notices) == 2 and any("commentaire" in t for t in notices) and any("amendement" in t for t in notices)
    assert followed_notices(quiet) == [] and Follow.objects.count() == 2


def test_a_draft_cannot_be_followed_by_another_organisation(organisation):
    draft = make_demand(organisation, state=DemandState.DRAFT)
    stranger = make_member(OrganisationFactory(), Role.MEMBRE)
    with pytest.raises(AdvocacyRefusal):
        services.do_follow_demand(actor=stranger, demand=draft, mode="follow")
    assert not Follow.objects.exists()


def test_the_page_has_the_buttons_and_the_form_works_without_javascript(client, demand, member):
    client.force_login(member)
    page = client.get(demand.get_absolute_url()).content.decode()
    assert "Suivre cette revendication" in page
    response = client.post(reverse("advocacy:demand_follow", args=[demand.pk]), {"mode": "follow"}, follow=True)
    assert "Ne plus suivre" in response.content.decode()
    assert Follow.objects.get(user=member).mode == "follow"
