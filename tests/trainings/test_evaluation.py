"""The evaluation after a session: invited once, answered once by attendees only, stored
without any link to the person, and shown in the reports only from three answers."""

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tcri_site.members.models import Role
from tcri_site.notifications.models import Notification
from tests.factories import make_member
from tests.outbox import outbox
from tests.trainings.conftest import make_session
from trainings import services
from trainings.models import (
    EvaluationAnswer,
    EvaluationInvitation,
    EvaluationKind,
    EvaluationQuestion,
    Registration,
    RegistrationStatus,
    SessionStatus,
)
from trainings.services import evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def questions(db):
    return [
        EvaluationQuestion.objects.create(
            label_fr="Êtes-vous satisfait·e ?", label_en="Are you satisfied?", kind=EvaluationKind.RATING,
            required=True, sort_order=0,
        ),
        EvaluationQuestion.objects.create(
            label_fr="La recommanderiez-vous ?", label_en="Would you recommend it?", kind=EvaluationKind.YES_NO,
            required=False, sort_order=1,
        ),
        EvaluationQuestion.objects.create(
            label_fr="Que faudrait-il améliorer ?", label_en="What should be improved?", kind=EvaluationKind.TEXT,
            required=False, sort_order=2,
        ),
    ]


@pytest.fixture
def held(training):
    """A session that ended yesterday."""
    session = make_session(training, days=-1, capacity=10, status=SessionStatus.HELD)
    return session


def attend(session, person, came=True):
    return Registration.objects.create(
        session=session, user=person, organisation=person.organisation, status=RegistrationStatus.CONFIRMED,
        attended=came, attendance_recorded_at=timezone.now(),
    )


def attendees(session, organisation, n):
    people = [make_member(organisation, Role.MEMBRE) for _ in range(n)]
    for person in people:
        attend(session, person)
    return people


def answer(person, session, questions, rating=4, agreed=True, text=""):
    rating_q, yes_q, text_q = questions
    answers = {rating_q.pk: rating, yes_q.pk: agreed}
    if text:
        answers[text_q.pk] = text
    services.do_submit_evaluation(actor=person, session=session, answers=answers)


# --- invitations -------------------------------------------------------------------------


def test_attendees_of_an_ended_session_are_invited_once(organisation, held, questions):
    came = attendees(held, organisation, 2)
    absent = make_member(organisation, Role.MEMBRE)
    attend(held, absent, came=False)
    assert services.do_invite_to_evaluations() == 2
    assert services.do_invite_to_evaluations() == 0  # the next hour's run sends nothing again
    invited = set(EvaluationInvitation.objects.values_list("registration__user", flat=True))
    assert invited == {p.pk for p in came}
    notes = Notification.objects.filter(recipient__in=came)
    assert notes.count() == 2
    assert notes.first().url == reverse("trainings:evaluate", kwargs={"pk": held.pk})
    sent = outbox()
    assert sorted(m.to[0] for m in sent) == sorted(p.email for p in came)
    assert "Votre avis sur" in sent[0].subject
    assert reverse("trainings:evaluate", kwargs={"pk": held.pk}) in sent[0].body


def test_nothing_goes_out_before_the_end_nor_long_after(organisation, training, questions):
    upcoming = make_session(training, days=2, capacity=5)
    old = make_session(training, days=-(evaluation.OPEN_DAYS + 2), capacity=5, status=SessionStatus.HELD)
    attendees(upcoming, organisation, 1)
    attendees(old, organisation, 1)
    assert services.do_invite_to_evaluations() == 0


def test_one_reminder_to_those_who_did_not_answer(organisation, held, questions):
    quiet, answered = attendees(held, organisation, 2)
    services.do_invite_to_evaluations()
    answer(answered, held, questions)
    outbox().clear()
    later = timezone.now() + timedelta(days=evaluation.REMINDER_DAYS, hours=1)
    services.do_invite_to_evaluations(now=later)
    services.do_invite_to_evaluations(now=later + timedelta(hours=1))
    sent = outbox()
    assert [m.to[0] for m in sent] == [quiet.email]
    assert sent[0].subject.startswith("Rappel")


# --- answering ---------------------------------------------------------------------------


def test_attendee_answers_once(organisation, held, questions):
    (person,) = attendees(held, organisation, 1)
    answer(person, held, questions, rating=5, text="Plus d'exemples.")
    assert EvaluationAnswer.objects.count() == 3
    with pytest.raises(services.AlreadyEvaluated):
        answer(person, held, questions, rating=1)
    assert EvaluationAnswer.objects.count() == 3
    assert EvaluationInvitation.objects.get().answered is True


def test_non_attendees_are_refused(organisation, member, held, questions):
    attend(held, member, came=False)
    with pytest.raises(services.NotAnAttendee):
        answer(member, held, questions)
    stranger = make_member(organisation, Role.MEMBRE)
    assert not stranger.has_perm("trainings.evaluate_session", held)
    assert not member.has_perm("trainings.evaluate_session", held)
    assert EvaluationAnswer.objects.count() == 0 and EvaluationInvitation.objects.count() == 0


def test_required_question_and_range_are_checked_by_the_service(organisation, held, questions):
    (person,) = attendees(held, organisation, 1)
    rating_q = questions[0]
    with pytest.raises(services.InvalidEvaluation):
        services.do_submit_evaluation(actor=person, session=held, answers={})
    with pytest.raises(services.InvalidEvaluation):
        services.do_submit_evaluation(actor=person, session=held, answers={rating_q.pk: 9})
    with pytest.raises(services.InvalidEvaluation):
        services.do_submit_evaluation(actor=person, session=held, answers={rating_q.pk: 3, 99999: 1})
    assert EvaluationAnswer.objects.count() == 0
    assert not EvaluationInvitation.objects.filter(answered=True).exists()


def test_text_is_cleaned_of_control_characters():
    assert evaluation.clean_text("  a\x00b\r\nc\x1b  ") == "ab\nc"
    assert len(evaluation.clean_text("x" * 5000)) == evaluation.TEXT_MAX


def test_the_tables_hold_no_link_between_a_person_and_an_answer(organisation, held, questions):
    """Read both tables as a dump would: the answers' table has no column that names a
    person, a registration or a time, no value of a person in it, and its rows (in key
    order and in storage order) are not in the order people answered."""
    people = attendees(held, organisation, 8)
    for n, person in enumerate(people):
        answer(person, held, questions, rating=1 + n % 5, text=f"commentaire {n}")
    fields = EvaluationAnswer._meta.concrete_fields
    assert {f.column for f in fields} == {"id", "session_id", "question_id", "rating", "agreed", "text"}
    assert {f.related_model for f in fields if f.is_relation} == {type(held), EvaluationQuestion}
    assert not [f for f in fields if f.get_internal_type() in ("DateTimeField", "DateField", "AutoField", "BigAutoField")]
    invitation_columns = {f.column for f in EvaluationInvitation._meta.concrete_fields}
    assert invitation_columns == {"id", "registration_id", "invited_at", "reminded_at", "answered"}
    storage_order = "ctid" if connection.vendor == "postgresql" else "rowid"
    table = EvaluationAnswer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")
        rows = cursor.fetchall()
        cursor.execute(f"SELECT text FROM {table} WHERE text <> '' ORDER BY {storage_order}")
        stored = [row[0] for row in cursor.fetchall()]
    names = {v for p in people for v in (p.email, p.first_name, p.last_name, p.get_full_name())}
    assert not {str(v) for row in rows for v in row} & names
    answered_order = [f"commentaire {n}" for n in range(8)]
    by_key = list(EvaluationAnswer.objects.exclude(text="").order_by("id").values_list("text", flat=True))
    assert sorted(stored) == sorted(by_key) == sorted(answered_order)
    # Each order matches the answering order with probability 1/8! (about 0.00002).
    assert stored != answered_order and by_key != answered_order


def test_new_answer_lands_at_a_random_place(organisation, held, questions, monkeypatch):
    """The inside-out shuffle: when the draw picks an earlier row, that row takes the new
    value and the new row takes its old one."""
    first, second = attendees(held, organisation, 2)
    answer(first, held, questions, text="premier")
    earlier = EvaluationAnswer.objects.get(text="premier").pk
    monkeypatch.setattr(evaluation.secrets, "randbelow", lambda n: 0)
    answer(second, held, questions, text="second")
    assert EvaluationAnswer.objects.get(pk=earlier).text == "second"
    assert EvaluationAnswer.objects.exclude(pk=earlier).get(question=questions[2]).text == "premier"


# --- the form ----------------------------------------------------------------------------


def test_form_bad_input_keeps_values_with_a_translated_error(client, organisation, held, questions):
    (person,) = attendees(held, organisation, 1)
    client.force_login(person)
    url = reverse("trainings:evaluate", kwargs={"pk": held.pk})
    rating_q, yes_q, text_q = questions
    response = client.post(url, {f"question_{yes_q.pk}": "oui", f"question_{text_q.pk}": "Mon commentaire"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choisissez une note de 1 à 5." in content
    assert "Mon commentaire" in content
    assert 'value="oui" ' in content and "checked" in content
    # The error summary leads to the group of radio buttons, described by its error.
    assert f'href="#id_question_{rating_q.pk}"' in content
    assert f'aria-describedby="id_question_{rating_q.pk}_helptext id_question_{rating_q.pk}_error"' in content
    assert EvaluationAnswer.objects.count() == 0
    response = client.post("/en" + url, {f"question_{rating_q.pk}": "7"})
    assert response.status_code == 400
    assert "Choose a rating from 1 to 5." in response.content.decode()
    assert EvaluationAnswer.objects.count() == 0


def test_form_submits_once_and_refuses_the_second_clearly(client, organisation, held, questions):
    (person,) = attendees(held, organisation, 1)
    client.force_login(person)
    url = reverse("trainings:evaluate", kwargs={"pk": held.pk})
    rating_q, yes_q, text_q = questions
    response = client.get(url)
    assert response.status_code == 200 and "Êtes-vous satisfait·e ?" in response.content.decode()
    response = client.post(url, {f"question_{rating_q.pk}": "4", f"question_{yes_q.pk}": "non"})
    assert response.status_code == 302
    assert EvaluationAnswer.objects.count() == 2
    response = client.post(url, {f"question_{rating_q.pk}": "1"})
    assert response.status_code == 409
    assert "Vous avez déjà envoyé votre évaluation" in response.content.decode()
    assert EvaluationAnswer.objects.count() == 2
    my = client.get(reverse("trainings:my_trainings")).content.decode()
    assert "Envoyée, merci" in my


def test_my_trainings_links_to_the_form(client, organisation, held, questions):
    (person,) = attendees(held, organisation, 1)
    client.force_login(person)
    content = client.get(reverse("trainings:my_trainings")).content.decode()
    assert reverse("trainings:evaluate", kwargs={"pk": held.pk}) in content


def test_form_is_forbidden_to_non_attendees(client, member, held, questions):
    attend(held, member, came=False)
    client.force_login(member)
    assert client.get(reverse("trainings:evaluate", kwargs={"pk": held.pk})).status_code == 403


# --- the reports -------------------------------------------------------------------------


def test_report_shows_the_chart_and_escaped_comments(client, organisation, project_lead, held, questions):
    people = attendees(held, organisation, 4)
    for rating, person in zip([5, 4, 4, 1], people, strict=True):
        answer(person, held, questions, rating=rating, agreed=rating > 2, text="<script>alert(1)</script> bien")
    client.force_login(project_lead)
    content = client.get(reverse("trainings:evaluation_session", kwargs={"pk": held.pk})).content.decode()
    assert "4 réponses." in content
    assert "Moyenne 3,5 sur 5" in content
    assert 'class="bar bar-average" style="width: 70%"' in content
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; bien" in content
    assert f'id="table-{questions[0].pk}"' in content  # the data table beside the chart
    training_page = client.get(reverse("trainings:evaluation_training", kwargs={"pk": held.training_id})).content.decode()
    assert "Moyenne 3,5 sur 5" in training_page
    overview = client.get(reverse("trainings:evaluation_reports")).content.decode()
    assert reverse("trainings:evaluation_training", kwargs={"pk": held.training_id}) in overview


def test_results_are_hidden_under_three_answers(client, organisation, project_lead, training, held, questions):
    people = attendees(held, organisation, 2)
    for person in people:
        answer(person, held, questions, rating=2, text="secret")
    # Another session of the same training has enough answers: the training's total leaves
    # the small session out, so nothing can be subtracted.
    other = make_session(training, days=-3, capacity=10, status=SessionStatus.HELD)
    for person in attendees(other, organisation, 3):
        answer(person, other, questions, rating=5)
    client.force_login(project_lead)
    content = client.get(reverse("trainings:evaluation_session", kwargs={"pk": held.pk})).content.decode()
    assert "Les résultats sont masqués" in content
    assert "secret" not in content and "bar-average" not in content
    training_page = client.get(reverse("trainings:evaluation_training", kwargs={"pk": training.pk})).content.decode()
    assert "Moyenne 5,0 sur 5" in training_page
    assert "secret" not in training_page
    assert "Masqués (moins de 3 réponses)" in training_page


def test_reports_are_for_the_project_lead(client, member, held):
    client.force_login(member)
    assert client.get(reverse("trainings:evaluation_reports")).status_code == 403
    assert client.get(reverse("trainings:evaluation_session", kwargs={"pk": held.pk})).status_code == 403


def test_report_queries_do_not_grow_with_sessions(client, organisation, project_lead, training, questions, django_assert_max_num_queries):
    for days in (-1, -2, -3, -4):
        session = make_session(training, days=days, capacity=10, status=SessionStatus.HELD)
        for person in attendees(session, organisation, 3):
            answer(person, session, questions, text="ok")
    client.force_login(project_lead)
    url = reverse("trainings:evaluation_training", kwargs={"pk": training.pk})
    client.get(url)  # warm cache (site root paths, policy version): measure what the data costs
    with django_assert_max_num_queries(15):
        client.get(url)


# --- the questions in Wagtail ------------------------------------------------------------


def test_the_project_lead_adds_a_question_in_the_admin_and_attendees_see_it_in_english(
    client, organisation, project_lead, held
):
    client.force_login(project_lead)
    response = client.post(reverse("wagtailsnippets_trainings_evaluationquestion:add"), {
        "label_fr": "Le rythme était-il bon ?", "label_en": "Was the pace right?", "kind": "yes_no",
        "required": "on", "training": "", "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    question = EvaluationQuestion.objects.get()
    assert question.required and question.kind == EvaluationKind.YES_NO
    assert client.get(reverse("wagtailsnippets_trainings_evaluationquestion:list")).status_code == 200
    (person,) = attendees(held, organisation, 1)
    client.force_login(person)
    content = client.get("/en" + reverse("trainings:evaluate", kwargs={"pk": held.pk})).content.decode()
    assert "Was the pace right?" in content and "Le rythme" not in content
    assert "Send my evaluation" in content


def test_a_question_with_answers_is_not_deleted(client, organisation, held, questions):
    from tests.factories import UserFactory

    (person,) = attendees(held, organisation, 1)
    answer(person, held, questions)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("wagtailsnippets_trainings_evaluationquestion:delete", args=[questions[0].pk])
    response = client.post(url, follow=True)
    assert EvaluationQuestion.objects.filter(pk=questions[0].pk).exists()
    assert "ne peut pas être supprimée" in response.content.decode()


def test_the_form_opens_only_after_the_session_and_for_a_month(organisation, training, questions):
    running = make_session(training, days=0, capacity=5)
    running.starts_at = timezone.now() - timedelta(hours=1)
    running.ends_at = timezone.now() + timedelta(hours=1)
    running.save()
    old = make_session(training, days=-(evaluation.OPEN_DAYS + 2), capacity=5, status=SessionStatus.HELD)
    for session in (running, old):
        (person,) = attendees(session, organisation, 1)
        with pytest.raises(services.EvaluationClosed):
            answer(person, session, questions)
    assert EvaluationAnswer.objects.count() == 0


def test_the_invitation_is_in_the_persons_language(organisation, held, questions):
    (person,) = attendees(held, organisation, 1)
    person.language = "en"
    person.save(update_fields=["language"])
    services.do_invite_to_evaluations()
    (sent,) = outbox()
    assert sent.subject.startswith("Your opinion on")
    assert "/en/seances/" in sent.body
    assert Notification.objects.get(recipient=person).title.startswith("Evaluate the training")


def test_who_sees_the_results(member, coordinator, project_lead, outsider, held):
    assert project_lead.has_perm("trainings.view_evaluation_results")
    for person in (member, coordinator, outsider):
        assert not person.has_perm("trainings.view_evaluation_results")
    attend(held, member)
    assert member.has_perm("trainings.evaluate_session", held)
    assert not outsider.has_perm("trainings.evaluate_session", held)


def test_the_participation_report_lists_evaluated_trainings(client, organisation, project_lead, held, questions):
    for person in attendees(held, organisation, 3):
        answer(person, held, questions)
    client.force_login(project_lead)
    content = client.get(reverse("trainings:reports")).content.decode()
    assert reverse("trainings:evaluation_training", kwargs={"pk": held.training_id}) in content
    later = (timezone.localdate() + timedelta(days=5)).isoformat()
    content = client.get(reverse("trainings:reports") + f"?du={later}").content.decode()
    assert reverse("trainings:evaluation_training", kwargs={"pk": held.training_id}) not in content


def test_the_personal_data_export_says_who_was_asked_and_holds_no_answer(organisation, held, questions):
    from trainings import personal_data

    (person,) = attendees(held, organisation, 1)
    services.do_invite_to_evaluations()
    answer(person, held, questions, text="Mon avis à moi")
    (row,) = personal_data.export(person)["evaluation_invitations"]
    assert row["answered"] is True and row["invited_at"] is not None
    assert "Mon avis à moi" not in repr(personal_data.export(person))


def test_answers_are_rewritten_in_random_order_once_the_form_closes(organisation, held, questions):
    for n, person in enumerate(attendees(held, organisation, 4)):
        answer(person, held, questions, rating=1 + n, text=f"avis {n}")
    before = dict(EvaluationAnswer.objects.values_list("id", "text"))
    values = sorted(EvaluationAnswer.objects.values_list("question_id", "rating", "agreed", "text"))
    assert services.evaluation.do_reshuffle_closed_evaluations() == 0  # still open: untouched
    closes = held.ends_at + timedelta(days=evaluation.OPEN_DAYS)
    assert services.evaluation.do_reshuffle_closed_evaluations(now=closes + timedelta(minutes=30)) == 1
    assert not set(EvaluationAnswer.objects.values_list("id", flat=True)) & set(before)
    assert sorted(EvaluationAnswer.objects.values_list("question_id", "rating", "agreed", "text")) == values


def test_deleting_a_training_takes_its_own_questions_and_their_answers(organisation, training, held, questions):
    own = EvaluationQuestion.objects.create(label_fr="Propre à la formation ?", kind=EvaluationKind.YES_NO, training=training)
    (person,) = attendees(held, organisation, 1)
    services.do_submit_evaluation(actor=person, session=held, answers={questions[0].pk: 3, own.pk: True})
    training.delete()
    assert not EvaluationQuestion.objects.filter(pk=own.pk).exists()
    assert EvaluationAnswer.objects.count() == 0
    assert EvaluationQuestion.objects.filter(pk=questions[0].pk).exists()
