"""Training page types in the admin and on the site, the glossary, and member-only material."""

from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, Page, PageViewRestriction
from wagtail.test.utils import WagtailPageTestCase, page_tests
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tcri_site.home.models import HomePage
from tcri_site.members.models import User, Volet
from tests.factories import OrganisationFactory, UserFactory, make_member
from tests.trainings.conftest import make_session, make_training
from trainings import services
from trainings.models import GlossaryPage, MigrationStatus, TrainingIndexPage, TrainingPage


class TrainingPageTypesTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        # A class's test data is made before the suite's autouse fixtures run: put back
        # what migrations create in case a transactional test emptied the tables before.
        from tests.conftest import ensure_baseline

        ensure_baseline()
        cls.root = Page.objects.get(depth=2)
        cls.index = cls.root.add_child(instance=TrainingIndexPage(title="Formations", slug="formations"))
        cls.status = MigrationStatus.objects.create(name_fr="Visiteur·euse", slug="visiteur")
        cls.admin = User.objects.create_superuser(email="super@test.tcri.example", password="x-y-z-123456")

    def setUp(self):
        # Wagtail's helpers log in with the first backend; ours is rules' (no get_user).
        patcher = mock.patch.object(page_tests, "AUTH_BACKEND", "django.contrib.auth.backends.ModelBackend")
        patcher.start()
        self.addCleanup(patcher.stop)
        self.client.force_login(self.admin)

    def test_page_tree_rules(self):
        self.assertCanCreateAt(TrainingIndexPage, TrainingPage)
        self.assertCanNotCreateAt(TrainingPage, TrainingPage)
        self.assertAllowedParentPageTypes(TrainingPage, {TrainingIndexPage})
        self.assertCanCreateAt(HomePage, TrainingIndexPage)

    def test_staff_create_a_training_with_every_block(self):
        data = nested_form_data(
            {
                "title": "Visiteurs et PST",
                "slug": "visiteurs-pst",
                "summary": "Ce que peuvent faire les visiteur·euses.",
                "audience": "Intervenant·es",
                "level": "intro",
                "duration_minutes": 90,
                "tags": "visiteurs, permis",
                "body": streamfield(
                    [
                        ("heading", "Objectifs"),
                        ("paragraph", rich_text("<p>Texte.</p>")),
                        ("callout", {"kind": "tip", "title": "Astuce", "text": rich_text("<p>Vérifier.</p>")}),
                        ("case_study", {"title": "Cas", "situation": rich_text("<p>S</p>"), "analysis": rich_text("<p>A</p>")}),
                        ("faq", {"items": streamfield([("item", {"question": "Q ?", "answer": rich_text("<p>R</p>")})])}),
                        ("video", {"title": "Capsule", "url": "https://video.tcri.example/1", "duration": "5 min"}),
                    ]
                ),
            }
        )
        data["volets"] = [2]
        data["migration_statuses"] = [self.status.pk]
        self.assertCanCreate(self.index, TrainingPage, data)
        page = TrainingPage.objects.get(slug="visiteurs-pst")
        assert [b.block_type for b in page.body] == ["heading", "paragraph", "callout", "case_study", "faq", "video"]
        assert set(page.tags.names()) == {"visiteurs", "permis"}
        assert list(page.migration_statuses.all()) == [self.status]
        assert [v.number for v in page.volets.all()] == [2]
        assert page.revisions.count() == 1
        self.assertPageIsRoutable(page)
        self.assertPageIsRenderable(page)
        response = self.client.get(page.url)
        self.assertContains(response, "Vérifier.")
        self.assertContains(response, "Q ?")
        self.assertContains(response, "?statut=visiteur")

    def test_index_and_glossary_render(self):
        glossary = self.root.add_child(instance=GlossaryPage(title="Glossaire", slug="statuts-migratoires"))
        self.assertPageIsRoutable(self.index)
        self.assertPageIsRenderable(self.index)
        self.assertPageIsRoutable(glossary)
        response = self.client.get(glossary.url)
        self.assertContains(response, 'id="visiteur"')
        self.assertPageIsPreviewable(self.index)


pytestmark = pytest.mark.django_db


def test_glossary_lists_status_in_both_languages(client, glossary, asylum_status):
    body = client.get(glossary.url).content.decode()
    assert "Demandeur·euse d&#x27;asile" in body and "Asylum claimant" in body
    assert "Attend une décision." in body


def test_training_page_links_statuses_and_upcoming_sessions(client, training):
    session = make_session(training)
    body = client.get(training.url).content.decode()
    assert reverse("trainings:session", args=[session.pk]) in body
    assert "statut=demandeur-asile" in body


def test_index_filters_material_by_status(client, training_index, asylum_status, worker_status):
    make_training(training_index, title="Asile 101", statuses=[asylum_status])
    make_training(training_index, title="Permis de travail", statuses=[worker_status])
    body = client.get(training_index.url, {"statut": "tet"}).content.decode()
    assert "Permis de travail" in body and "Asile 101" not in body


@pytest.fixture
def private_training(training_index, asylum_status):
    training = make_training(training_index, title="Recours réservés", statuses=[asylum_status])
    PageViewRestriction.objects.create(page=training, restriction_type=PageViewRestriction.LOGIN)
    return training


def test_private_page_is_for_members(client, private_training, member, outsider):
    response = client.get(private_training.url)
    assert response.status_code == 302 and "connexion" in response["Location"]
    client.force_login(outsider)
    assert client.get(private_training.url).status_code == 403
    client.force_login(member)
    assert client.get(private_training.url).status_code == 200


def test_private_training_is_hidden_from_outsiders_in_lists(client, private_training, member, training_index):
    session = make_session(private_training)
    assert "Recours réservés" not in client.get(training_index.url).content.decode()
    assert "Recours réservés" not in client.get(reverse("trainings:index")).content.decode()
    assert client.get(session.get_absolute_url()).status_code == 302
    client.force_login(member)
    assert "Recours réservés" in client.get(reverse("trainings:index")).content.decode()
    assert client.get(session.get_absolute_url()).status_code == 200


@pytest.fixture
def private_document(db):
    Document = get_document_model()
    document = Document(title="Aide-mémoire", collection=services.private_material_collection())
    document.file.save("aide-memoire.txt", ContentFile(b"SECRET-CONTENT"), save=False)
    document.save()
    return document


def test_private_document_gives_nothing_to_outsiders(client, private_document, member, outsider):
    url = private_document.url
    response = client.get(url)
    assert response.status_code == 302 and b"SECRET-CONTENT" not in response.getvalue()
    client.force_login(outsider)
    response = client.get(url)
    assert response.status_code == 403 and b"SECRET-CONTENT" not in response.getvalue()
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200 and b"SECRET-CONTENT" in b"".join(response.streaming_content)


def test_public_document_stays_public(client, db):
    Document = get_document_model()
    document = Document(title="Public", collection=Collection.get_first_root_node())
    document.file.save("public.txt", ContentFile(b"PUBLIC"), save=False)
    document.save()
    assert client.get(document.url).status_code == 200


# The session form edits its registration questions inline (an empty formset here).
NO_QUESTIONS = {
    "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0",
    "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
}


def test_new_session_in_admin_notifies_members_of_matching_volets(client, training, organisation, other_organisation):
    from tcri_site.notifications.models import Kind, Notification

    volet4 = make_member(organisation)  # organisation has volets 1 and 4
    volet2 = make_member(other_organisation)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("wagtailsnippets_trainings_trainingsession:add")
    response = client.post(url, {
        "training": training.pk,
        "starts_at": "2030-03-04 13:30",
        "ends_at": "2030-03-04 16:00",
        "registration_deadline": "2030-03-01 17:00",
        "format": "online",
        "online_link": "https://visio.tcri.example/x",
        "place": "",
        "capacity": 10,
        "trainer": "Inès",
        "status": "planned",
        "notes": "",
        **NO_QUESTIONS,
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Notification.objects.filter(recipient=volet4, kind=Kind.TRAINING).count() == 1
    assert not Notification.objects.filter(recipient=volet2).exists()
    assert Volet.objects.count() == 5
    assert OrganisationFactory  # factories imported for symmetry with other suites


def test_cancelling_a_session_in_admin_notifies_registrants(client, member, session):
    from tcri_site.notifications.models import Kind, Notification
    from trainings.services import do_register

    do_register(actor=member, person=member, session=session)
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("wagtailsnippets_trainings_trainingsession:edit", args=[session.pk])
    local = timezone.localtime
    data = {
        "training": session.training_id,
        "starts_at": local(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": local(session.ends_at).strftime("%Y-%m-%d %H:%M"),
        "registration_deadline": local(session.registration_deadline).strftime("%Y-%m-%d %H:%M"),
        "format": "online",
        "online_link": session.online_link,
        "place": "",
        "capacity": session.capacity,
        "trainer": session.trainer,
        "status": "cancelled",
        "notes": "",
        **NO_QUESTIONS,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Notification.objects.filter(recipient=member, kind=Kind.REGISTRATION, title__startswith="Séance annulée").count() == 1
    client.post(url, data)  # saving again announces nothing new
    assert Notification.objects.filter(recipient=member, title__startswith="Séance annulée").count() == 1
