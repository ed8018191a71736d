"""Registration questions: asked at registration (waiting list too), required where marked,
kept one row per answer, shown to staff, in the CSV (neutralised), in the privacy export,
and erased with the person."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tcri_site.members.models import Role
from tcri_site.spreadsheets import read_csv
from tests.factories import make_member
from trainings import exports, services
from trainings.models import (
    QuestionKind,
    Registration,
    RegistrationAnswer,
    RegistrationQuestion,
    RegistrationStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(session):
    access = RegistrationQuestion.objects.create(
        session=session, sort_order=0, kind=QuestionKind.ACCESSIBILITY, required=True,
        label_fr="Avez-vous des besoins d'accessibilité ?", label_en="Do you have accessibility needs?",
    )
    language = RegistrationQuestion.objects.create(
        session=session, sort_order=1, kind=QuestionKind.INTERPRETATION,
        label_fr="Interprétation souhaitée", label_en="Interpretation wanted",
    )
    meal = RegistrationQuestion.objects.create(
        session=session, sort_order=2, kind=QuestionKind.MULTIPLE, required=True,
        label_fr="Repas", label_en="Meals", choices_fr="Végétarien\nSans gluten", choices_en="Vegetarian\nGluten-free",
    )
    return access, language, meal


def test_answers_are_kept_one_row_each(member, session, questions):
    access, language, meal = questions
    registration = services.do_register(
        actor=member, person=member, session=session,
        answers={access.pk: "Rampe d'accès", language.pk: "  LSQ ", meal.pk: ["Sans gluten"]},
    )
    stored = {a.question_id: a.value for a in registration.answers.all()}
    assert stored == {access.pk: "Rampe d'accès", language.pk: "LSQ", meal.pk: "Sans gluten"}


def test_a_missing_required_answer_refuses_and_stores_nothing(member, session, questions):
    access, _language, meal = questions
    with pytest.raises(services.AnswerRequired) as refused:
        services.do_register(actor=member, person=member, session=session, answers={meal.pk: ["Végétarien"]})
    assert "Avez-vous des besoins" in str(refused.value.message)
    assert not Registration.objects.exists() and not RegistrationAnswer.objects.exists()


def test_a_choice_not_offered_is_refused(member, session, questions):
    access, _language, meal = questions
    with pytest.raises(services.InvalidAnswer):
        services.do_register(actor=member, person=member, session=session, answers={access.pk: "Non", meal.pk: ["Poisson"]})
    assert not Registration.objects.exists()


def test_waiting_list_registrations_answer_too(organisation, member, session, questions):
    access, _language, meal = questions
    for _ in range(session.capacity):
        other = make_member(organisation, Role.MEMBRE)
        services.do_register(actor=other, person=other, session=session, answers={access.pk: "Non", meal.pk: ["Végétarien"]})
    with pytest.raises(services.AnswerRequired):
        services.do_register(actor=member, person=member, session=session, accept_waitlist=True, answers={})
    registration = services.do_register(
        actor=member, person=member, session=session, accept_waitlist=True,
        answers={access.pk: "Sous-titres", meal.pk: ["Végétarien"]},
    )
    assert registration.status == RegistrationStatus.WAITLISTED
    assert registration.answers.get(question=access).value == "Sous-titres"


def test_choice_questions_need_the_same_choices_in_both_languages(session):
    question = RegistrationQuestion(
        session=session, kind=QuestionKind.SINGLE, label_fr="Q", label_en="Q", choices_fr="Oui\nNon", choices_en="Yes",
    )
    with pytest.raises(ValidationError) as error:
        question.clean()
    assert "choices_en" in error.value.message_dict


# --- The page ------------------------------------------------------------------------------


def test_form_shows_the_questions_and_a_missing_answer_keeps_what_was_typed(client, member, session, questions):
    access, language, meal = questions
    client.force_login(member)
    page = client.get(reverse("trainings:session", args=[session.pk]))
    assert "Avez-vous des besoins d&#x27;accessibilité ?" in page.content.decode()
    response = client.post(
        reverse("trainings:register", args=[session.pk]), {f"q{language.pk}": "Arabe", f"q{meal.pk}": ["Sans gluten"]}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "elle est obligatoire" in body
    assert 'value="Arabe"' in body
    assert 'value="Sans gluten" checked' in body or ('value="Sans gluten"' in body and "checked" in body)
    assert not Registration.objects.exists()


def test_answers_in_english_from_en(client, member, session, questions):
    access, _language, meal = questions
    client.force_login(member)
    response = client.post(f"/en/seances/{session.pk}/inscription/", {f"q{meal.pk}": ["Vegetarian"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Do you have accessibility needs?" in body and "This question is required." in body
    response = client.post(
        f"/en/seances/{session.pk}/inscription/", {f"q{access.pk}": "Large print", f"q{meal.pk}": ["Végétarien"]}
    )
    assert response.status_code == 302
    assert Registration.objects.get(user=member).answers.get(question=meal).value == "Végétarien"


def test_material_page_sends_to_the_form_when_there_are_questions(client, member, session, questions, training):
    client.force_login(member)
    body = client.get(training.url).content.decode()
    assert reverse("trainings:session", args=[session.pk]) + "#inscription" in body
    assert reverse("trainings:register", args=[session.pk]) not in body


def test_staff_see_the_answers_on_the_registrations_list(client, member, administrator, session, questions, organisation):
    access, _language, meal = questions
    services.do_register(actor=member, person=member, session=session, answers={access.pk: "Boucle magnétique", meal.pk: ["Sans gluten", "Végétarien"]})
    for _ in range(3):
        other = make_member(organisation, Role.MEMBRE)
        Registration.objects.create(session=session, user=other, status=RegistrationStatus.WAITLISTED)
    client.force_login(administrator)
    url = reverse("trainings:session", args=[session.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert "Boucle magnétique" in body and "Végétarien, Sans gluten" in body
    for _ in range(5):
        other = make_member(organisation, Role.MEMBRE)
        services.do_register(actor=other, person=other, session=session, accept_waitlist=True,
                             answers={access.pk: "Non", meal.pk: ["Végétarien"]})
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_members_do_not_see_others_answers(client, member, session, questions, organisation):
    access, _language, meal = questions
    other = make_member(organisation, Role.MEMBRE)
    services.do_register(actor=other, person=other, session=session, answers={access.pk: "Fauteuil roulant", meal.pk: ["Végétarien"]})
    client.force_login(member)
    assert "Fauteuil roulant" not in client.get(reverse("trainings:session", args=[session.pk])).content.decode()
    assert client.get(reverse("trainings:registrations_csv", args=[session.pk])).status_code in (302, 403)


# --- CSV -----------------------------------------------------------------------------------


def test_csv_has_a_column_per_question_and_neutralised_cells(client, administrator, member, session, questions, organisation):
    access, language, meal = questions
    member.first_name = "=HYPERLINK(\"http://evil.example/\",\"clic\")"
    member.save()
    services.do_register(
        actor=member, person=member, session=session,
        answers={access.pk: "=1+1", language.pk: "@SUM(A1)", meal.pk: ["Végétarien"]},
    )
    client.force_login(administrator)
    response = client.get(reverse("trainings:registrations_csv", args=[session.pk]))
    assert response.status_code == 200
    rows = read_csv(response.content)
    assert rows[0][-3:] == [access.label_fr, language.label_fr, meal.label_fr]
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][-3:] == ["'=1+1", "'@SUM(A1)", "Végétarien"]


def test_csv_queries_do_not_grow_with_registrations(member, session, questions, organisation):
    access, _language, meal = questions
    services.do_register(actor=member, person=member, session=session, answers={access.pk: "Non", meal.pk: ["Végétarien"]})
    with CaptureQueriesContext(connection) as few:
        exports.registrations_csv(session)
    for _ in range(4):
        other = make_member(organisation, Role.MEMBRE)
        services.do_register(actor=other, person=other, session=session, accept_waitlist=True, answers={access.pk: "Non", meal.pk: ["Végétarien"]})
    with CaptureQueriesContext(connection) as many:
        rows = read_csv(exports.registrations_csv(session))
    assert len(rows) == 6
    assert len(many) == len(few) <= 3


# --- Privacy -------------------------------------------------------------------------------


def test_privacy_export_has_the_answers_and_erasure_removes_them(member, session, questions, organisation):
    from tcri_site.privacy.services import build_export, do_erase_person

    access, _language, meal = questions
    other = make_member(organisation, Role.MEMBRE)
    services.do_register(actor=member, person=member, session=session, answers={access.pk: "Interprète LSQ", meal.pk: ["Sans gluten"]})
    services.do_register(actor=other, person=other, session=session, answers={access.pk: "Rien de l'autre", meal.pk: ["Végétarien"]})
    data = build_export(member)["sections"]["trainings"]
    answers = data["registrations"][0]["answers"]
    assert {"question": access.label_fr, "question_en": access.label_en, "answer": "Interprète LSQ"} in answers
    assert "Rien de l'autre" not in str(data)
    do_erase_person(actor=member, person=member)
    assert not RegistrationAnswer.objects.filter(registration__user=member).exists()
    assert RegistrationAnswer.objects.filter(registration__user=other).count() == 2


def test_a_person_coming_back_answers_anew(member, session, questions):
    access, _language, meal = questions
    registration = services.do_register(actor=member, person=member, session=session, answers={access.pk: "Avant", meal.pk: ["Végétarien"]})
    services.do_cancel_registration(actor=member, registration=registration)
    services.do_register(actor=member, person=member, session=session, answers={access.pk: "Après", meal.pk: ["Sans gluten"]})
    assert sorted(RegistrationAnswer.objects.values_list("value", flat=True)) == ["Après", "Sans gluten"]


def test_staff_add_questions_inline_in_the_session_admin(client, session):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    local = timezone.localtime
    data = {
        "training": session.training_id,
        "starts_at": local(session.starts_at).strftime("%Y-%m-%d %H:%M"),
        "ends_at": local(session.ends_at).strftime("%Y-%m-%d %H:%M"),
        "registration_deadline": local(session.registration_deadline).strftime("%Y-%m-%d %H:%M"),
        "format": "online", "online_link": session.online_link, "place": "", "capacity": session.capacity,
        "trainer": session.trainer, "status": "planned", "notes": "",
        "questions-TOTAL_FORMS": "2", "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000",
        "questions-0-kind": "interpretation", "questions-0-label_fr": "Langue d'interprétation",
        "questions-0-label_en": "Interpretation language", "questions-0-required": "on", "questions-0-ORDER": "1",
        "questions-0-choices_fr": "", "questions-0-choices_en": "",
        "questions-1-kind": "single_choice", "questions-1-label_fr": "Présentiel ou en ligne ?",
        "questions-1-label_en": "In person or online?", "questions-1-ORDER": "2",
        "questions-1-choices_fr": "Présentiel\nEn ligne", "questions-1-choices_en": "In person",
    }
    url = reverse("wagtailsnippets_trainings_trainingsession:edit", args=[session.pk])
    response = client.post(url, data)
    assert response.status_code == 200  # the English choices are missing one
    assert not RegistrationQuestion.objects.exists()
    data["questions-1-choices_en"] = "In person\nOnline"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(session.questions.order_by("sort_order").values_list("label_en", "required")) == [
        ("Interpretation language", True), ("In person or online?", False),
    ]
