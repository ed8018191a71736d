"""Log in and out, invitations, password reset and the profile, with their bad links."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tcri_site.members.models import Invitation, Role, User
from tcri_site.members.services import InvitationRefused, do_invite_person
from tests.factories import MembershipFactory, UserFactory
from tests.outbox import outbox

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-test-123"


def test_login_with_email_and_redirect_to_persons_language(client):
    UserFactory(email="lea@test.tcri.example", language="en")
    response = client.post(
        "/comptes/connexion/", {"username": "Lea@test.tcri.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/en/")
    assert response.cookies["tcri_language"].value == "en"


def test_login_failure_says_what_is_wrong(client):
    UserFactory(email="lea@test.tcri.example")
    response = client.post(
        "/comptes/connexion/", {"username": "lea@test.tcri.example", "password": "faux"}
    )
    assert response.status_code == 200
    assert "Adresse courriel ou mot de passe incorrect" in response.content.decode()
    response = client.post("/en/comptes/connexion/", {"username": "", "password": ""})
    assert "This field is required" in response.content.decode()


def test_logout_needs_post_and_ends_the_session(client, member):
    client.force_login(member)
    assert client.get("/comptes/deconnexion/").status_code == 405
    client.post("/comptes/deconnexion/")
    assert client.get("/comptes/profil/").status_code == 302


def invite(organisation=None, role=Role.MEMBRE, **kwargs):
    invitation, token = do_invite_person(
        actor=kwargs.pop("actor", None),
        email=kwargs.pop("email", "nouvelle@test.tcri.example"),
        organisation=organisation,
        role=role,
        **kwargs,
    )
    return invitation, token


def test_invitation_flow_creates_account_and_membership(client, organisation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = invite(organisation, Role.SUBSTITUT, first_name="Zoé")
    assert len(outbox()) == 1
    link = re.search(r"http://testserver(/\S+)", outbox()[0].body).group(1)
    assert token in link
    page = client.get(link)
    assert page.status_code == 200 and "Zoé" in page.content.decode()
    response = client.post(
        link,
        {"first_name": "Zoé", "last_name": "Exemple", "password1": "un-long-secret-42", "password2": "un-long-secret-42"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="nouvelle@test.tcri.example")
    assert user.check_password("un-long-secret-42")
    assert user.active_membership.organisation == organisation
    assert user.active_membership.role == Role.SUBSTITUT
    # Single use: the same link now says so, and changes nothing.
    again = client.get(link)
    assert again.status_code == 410
    assert "déjà été utilisé" in again.content.decode()
    assert User.objects.filter(email="nouvelle@test.tcri.example").count() == 1


def test_expired_and_unknown_invitation_links(client):
    invitation, token = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(f"/comptes/invitation/{token}/")
    assert response.status_code == 410 and "expiré" in response.content.decode()
    response = client.post(
        f"/comptes/invitation/{token}/",
        {"first_name": "A", "last_name": "B", "password1": "un-long-secret-42", "password2": "un-long-secret-42"},
    )
    assert response.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()
    response = client.get("/en/comptes/invitation/not-a-real-token/")
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_invitation_form_errors_are_words(client):
    _invitation, token = invite()
    response = client.post(
        f"/comptes/invitation/{token}/",
        {"first_name": "", "last_name": "B", "password1": "abc", "password2": "abd"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient des erreurs" in body
    assert "Les deux mots de passe ne sont pas identiques" in body
    assert Invitation.objects.usable().count() == 1


def test_cannot_invite_a_second_delegate(organisation):
    MembershipFactory(organisation=organisation, role=Role.DELEGUE)
    with pytest.raises(InvitationRefused, match="déjà") as refused:
        invite(organisation, Role.DELEGUE)
    assert (refused.value.code, refused.value.status) == ("invitation_refused", 400)
    with pytest.raises(InvitationRefused, match="déjà un compte"):
        invite(email=UserFactory().email)


def test_password_reset_flow_and_bad_link(client):
    user = UserFactory(email="reset@test.tcri.example")
    client.post("/comptes/mot-de-passe/", {"email": "reset@test.tcri.example"})
    assert len(outbox()) == 1
    link = re.search(r"https?://[^/\s]+(/\S+)", outbox()[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Choisir un nouveau mot de passe" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": "autre-secret-987", "new_password2": "autre-secret-987"})
    user.refresh_from_db()
    assert user.check_password("autre-secret-987")
    # The link is spent: it now says so clearly.
    response = client.get(link, follow=True)
    assert "Lien invalide ou expiré" in response.content.decode()


def test_unknown_address_reveals_nothing(client):
    response = client.post("/comptes/mot-de-passe/", {"email": "personne@nulle.part"}, follow=True)
    assert "Si un compte existe" in response.content.decode()
    assert len(outbox()) == 0


def test_profile_edits_language_and_preference(client, member):
    client.force_login(member)
    page = client.get("/comptes/profil/")
    assert member.organisation.name in page.content.decode()
    response = client.post(
        "/comptes/profil/",
        {"first_name": "Ana", "last_name": "Lys", "language": "en", "notification_preference": "weekly"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/en/")
    member.refresh_from_db()
    assert (member.first_name, member.language, member.notification_preference) == ("Ana", "en", "weekly")
    bad = client.post("/comptes/profil/", {"first_name": "Ana", "last_name": "", "language": "xx"})
    assert bad.status_code == 200
    assert "Le formulaire contient des erreurs" in bad.content.decode()


def test_anonymous_people_are_sent_to_login(client):
    response = client.get("/comptes/profil/")
    assert response.status_code == 302 and "/comptes/connexion/" in response["Location"]
