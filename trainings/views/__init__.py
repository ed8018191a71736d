"""Sessions: listing, detail, registration, « Mes formations », calendar, attendance, reports."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from search.services import matching_object_ids
from tcri_site.confirm import confirmation_page, is_confirmed
from tcri_site.members.decorators import permission_required
from tcri_site.members.models import Membership, User
from trainings import services
from trainings.forms import (
    ColleagueRegistrationForm,
    RegistrationAnswersForm,
    SessionFilterForm,
)
from trainings.models import (
    CalendarFeed,
    Registration,
    RegistrationAnswer,
    RegistrationStatus,
    TrainingPage,
    TrainingSession,
    catalogue_url,
    glossary_url,
)

PER_PAGE = 20
MAX_MATCHES = 200  # trainings a text search may match (there are a few dozen)


def _matching_training_keys(request, words: str) -> list:
    """The trainings the site's search finds for ``words`` (French-aware: accents, plurals),
    in the reader's language and in French, as translation keys: the French page holds the
    sessions. Wagtail's own search serves if the search engine is unavailable."""
    pks: set[int] = set()
    for language in {translation.get_language(), settings.LANGUAGE_CODE}:
        found = matching_object_ids(request.user, {"q": words, "type": "training"}, language=language, limit=MAX_MATCHES)
        if found is None:
            matches = TrainingPage.objects.live().search(words, operator="and")[:MAX_MATCHES]
            return [page.translation_key for page in matches]
        pks |= {int(object_id) for object_id in found if str(object_id).isdigit()}
    return list(TrainingPage.objects.filter(pk__in=pks).values_list("translation_key", flat=True))


def _sessions():
    return TrainingSession.objects.select_related("training").defer("training__body").annotate(
        confirmed_count=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED))
    )


def _with_mine(qs, user):
    if not user.is_authenticated:
        return qs
    return qs.prefetch_related(
        Prefetch(
            "registrations",
            queryset=Registration.objects.filter(user=user).active(),
            to_attr="mine",
        )
    )


@permission_required("trainings.view_sessions")
def index(request):
    form = SessionFilterForm(request.GET or None)
    # Filter and paginate on the bare table; the page's rows get their counts afterwards.
    sessions = TrainingSession.objects.all()
    # A stale or mistyped value drops only its own filter (the form shows nothing wrong
    # to fix: the choices come from the data), the other filters still apply.
    data = {}
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the fields that are valid
        data = form.cleaned_data
    now = timezone.now()
    when = data.get("quand") or "upcoming"
    if when == "upcoming":
        sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")
    elif when == "past":
        sessions = sessions.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    else:
        sessions = sessions.order_by("-starts_at", "-pk")
    trainings = TrainingPage.objects.live()
    if not request.user.has_perm("trainings.view_private_material"):
        trainings = trainings.public()
    if data.get("statut"):
        trainings = trainings.filter(migration_statuses__slug=data["statut"])
    if data.get("volet"):
        trainings = trainings.filter(volets__number=data["volet"])
    if data.get("etiquette"):
        trainings = trainings.filter(tags__slug=data["etiquette"])
    if data.get("q"):
        trainings = trainings.filter(translation_key__in=_matching_training_keys(request, data["q"]))
    sessions = sessions.filter(training__in=trainings.values("pk"))
    if data.get("format"):
        sessions = sessions.filter(format=data["format"])
    if data.get("region"):
        sessions = sessions.filter(region=data["region"])
    tz = timezone.get_current_timezone()
    if data.get("du"):
        sessions = sessions.filter(ends_at__gte=datetime.combine(data["du"], time.min, tzinfo=tz))
    if data.get("au"):
        sessions = sessions.filter(starts_at__lt=datetime.combine(data["au"] + timedelta(days=1), time.min, tzinfo=tz))
    if data.get("etat"):
        sessions = sessions.filter(status=data["etat"])
    page_obj = Paginator(sessions, PER_PAGE).get_page(request.GET.get("page"))
    sessions_on_page = _with_mine(
        _sessions().filter(pk__in=[s.pk for s in page_obj.object_list]).prefetch_related(
            "training__migration_statuses"
        ),
        request.user,
    )
    by_pk = {s.pk: s for s in sessions_on_page}
    page_obj.object_list = [by_pk[s.pk] for s in page_obj.object_list if s.pk in by_pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "trainings/session_list.html",
        {
            "form": form,
            "page_obj": page_obj,
            "sessions": page_obj.object_list,
            "query": query.urlencode(),
            "glossary_url": glossary_url(),
            "catalogue_url": catalogue_url(),
            "when": when,
        },
    )


def _get_session(request, pk):
    session = get_object_or_404(_sessions(), pk=pk)
    if not session.training.live:
        raise Http404
    return session


def _refuse_private_material(request, training):
    """The session of a training reserved to members is reserved too."""
    if training.get_view_restrictions().exists() and not request.user.has_perm("trainings.view_private_material"):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return None


def _may_see_link(user, registration) -> bool:
    return (registration is not None and registration.status == RegistrationStatus.CONFIRMED) or user.has_perm(
        "trainings.view_registrations"
    )


@permission_required("trainings.view_sessions")
def session_detail(request, pk):
    session = _get_session(request, pk)
    if refusal := _refuse_private_material(request, session.training):
        return refusal
    return render(request, "trainings/session_detail.html", _session_context(request, session))


def _session_context(request, session, *, answers_form=None, colleague_answers_form=None, colleagues_form=None):
    """What the session page shows; the register view passes its bound forms back when the
    answers are missing or wrong, so the page keeps what was typed."""
    training = session.training
    user = request.user
    questions = services.session_questions(session)
    bound_colleagues_form, colleagues_form = colleagues_form, None
    mine = None
    position = None
    colleague_registrations = []
    if user.is_authenticated:
        mine = Registration.objects.filter(session=session, user=user).active().first()
        position = services.waitlist_position(mine) if mine else None
        if user.has_perm("trainings.register_colleagues") and user.organisation:
            org = user.organisation
            colleague_registrations = list(
                Registration.objects.filter(session=session, user__memberships__organisation=org,
                                            user__memberships__is_active=True)
                .active()
                .exclude(user=user)
                .select_related("user")
            )
            taken = {r.user_id for r in colleague_registrations} | {user.pk}
            colleagues = (
                User.objects.filter(memberships__organisation=org, memberships__is_active=True, is_active=True)
                .exclude(pk__in=taken)
                .order_by("last_name", "first_name")
            )
            colleagues_form = bound_colleagues_form or ColleagueRegistrationForm(colleagues=colleagues)
    if questions and colleagues_form is not None and colleague_answers_form is None:
        colleague_answers_form = RegistrationAnswersForm(questions=questions, prefix="colleague")
    if questions and answers_form is None:
        answers_form = RegistrationAnswersForm(questions=questions)
    registrants = None
    if user.has_perm("trainings.view_registrations"):
        registrants = list(
            session.registrations.active()
            .select_related("user", "organisation")
            .prefetch_related(Prefetch("answers", queryset=RegistrationAnswer.objects.only("registration_id", "question_id", "value")))
        )
        for registration in registrants:
            given = {a.question_id: a.value for a in registration.answers.all()}
            registration.answer_cells = [q.display(given[q.pk]) if q.pk in given else "" for q in questions]
    return {
        "session": session,
        "training": training,
        "mine": mine,
        "position": position,
        "seats_left": max(session.capacity - session.confirmed_count, 0),
        "show_link": _may_see_link(user, mine),
        "colleagues_form": colleagues_form,
        "colleague_registrations": colleague_registrations,
        "registrants": registrants,
        "statuses": list(training.migration_statuses.all()),
        "glossary_url": glossary_url(),
        "questions": questions,
        "answers_form": answers_form,
        "colleague_answers_form": colleague_answers_form,
        "checkin_open": services.checkin_open(session),
    }


@permission_required("trainings.view_sessions")
def session_ics(request, pk):
    """One session for a calendar; the online link only for people it is shown to."""
    session = _get_session(request, pk)
    if refusal := _refuse_private_material(request, session.training):
        return refusal
    mine = None
    if request.user.is_authenticated:
        mine = Registration.objects.filter(session=session, user=request.user).active().first()
    body = services.sessions_ics([session], with_link=_may_see_link(request.user, mine))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seance-{session.pk}.ics"'
    return response


@require_POST
@permission_required("trainings.register")
def register(request, pk):
    session = get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)
    person = request.user
    # Back where the person registered from (the material page), else the session's page.
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = session.get_absolute_url()
    questions = services.session_questions(session)
    for_colleague = bool(request.POST.get("person"))
    answers_form = RegistrationAnswersForm(
        request.POST, questions=questions, prefix="colleague" if for_colleague else None
    )
    colleague_form = None
    if for_colleague:
        form = colleague_form = ColleagueRegistrationForm(
            request.POST,
            colleagues=User.objects.filter(
                pk__in=Membership.objects.filter(organisation=request.user.organisation, is_active=True).values("user_id")
            ),
        )
        if not form.is_valid():
            messages.error(request, _("Choisissez une personne de votre organisme dans la liste."))
            return redirect(back)
        person = User.objects.get(pk=form.cleaned_data["person"])
        accept_waitlist = form.cleaned_data["waitlist"]
    else:
        accept_waitlist = request.POST.get("waitlist") == "1"
    if questions and not answers_form.is_valid():
        return _answers_refused(request, session, answers_form, colleague_form)
    try:
        registration = services.do_register(
            actor=request.user,
            person=person,
            session=session,
            accept_waitlist=accept_waitlist,
            answers=answers_form.answers() if questions else None,
        )
    except (services.AnswerRequired, services.InvalidAnswer) as error:
        answers_form.add_error(None, str(error.message))
        return _answers_refused(request, session, answers_form, colleague_form)
    except services.TrainingRefusal as error:
        messages.error(request, str(error.message))
        return redirect(back)
    who = _("Vous êtes") if person == request.user else _("%(name)s est") % {"name": person.get_full_name()}
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(request, _("%(who)s inscrit·e. Une confirmation part par courriel.") % {"who": who})
    else:
        messages.success(
            request,
            _("%(who)s sur la liste d'attente, en position %(position)s.")
            % {"who": who, "position": services.waitlist_position(registration)},
        )
    return redirect(back)


def _answers_refused(request, session, answers_form, colleague_form):
    """The session page again, with the answers as typed and what to fix (nothing stored)."""
    session = _get_session(request, session.pk)
    if answers_form.prefix:
        context = _session_context(
            request, session, colleague_answers_form=answers_form, colleagues_form=colleague_form
        )
    else:
        context = _session_context(request, session, answers_form=answers_form)
    context["answers_refused"] = True
    return render(request, "trainings/session_detail.html", context, status=400)


def _registration(request, pk):
    return get_object_or_404(Registration.objects.select_related("session__training", "user"), pk=pk)


@require_POST
@permission_required("trainings.cancel_registration", fn=_registration)
def cancel(request, pk):
    registration = request.permission_object
    if registration.status == RegistrationStatus.CONFIRMED and not is_confirmed(request):
        # Cancelling frees a seat that someone waiting takes at once: say so first.
        return confirmation_page(
            request,
            title=_("Annuler l'inscription ?"),
            consequence=cancel_consequence(),
            button=_("Annuler l'inscription"),
            back_url=registration.session.get_absolute_url(),
        )
    try:
        services.do_cancel_registration(actor=request.user, registration=registration)
    except services.TrainingRefusal as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("L'inscription est annulée."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("trainings:my_trainings")
    return redirect(next_url)


def cancel_consequence() -> str:
    return _(
        "La place sera libérée et donnée aussitôt à la première personne en liste d'attente : "
        "si la séance est complète, elle ne pourra pas être reprise."
    )


@permission_required("trainings.view_my_trainings")
def my_trainings(request):
    now = timezone.now()
    mine = (
        Registration.objects.filter(user=request.user)
        .active()
        .select_related("session__training")
        .defer("session__training__body")
    )
    upcoming = list(
        services.with_waitlist_positions(mine.filter(session__ends_at__gte=now)).order_by("session__starts_at")[:100]
    )
    for registration in upcoming:
        registration.position = registration.waiting_ahead + 1
    past = Paginator(
        services.evaluation.with_evaluated(mine.filter(session__ends_at__lt=now, status=RegistrationStatus.CONFIRMED))
        .order_by("-session__starts_at"),
        PER_PAGE,
    ).get_page(request.GET.get("page"))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(
        request,
        "trainings/my_trainings.html",
        {
            "upcoming": upcoming,
            "page_obj": past,
            "past": past.object_list,
            "feed_url": request.build_absolute_uri(feed.get_absolute_url()) if feed else "",
        },
    )


@require_POST
@permission_required("trainings.view_my_trainings")
def calendar_token(request):
    services.do_regenerate_feed(actor=request.user, person=request.user)
    messages.success(request, _("Votre adresse de calendrier personnel est prête. Toute ancienne adresse ne fonctionne plus."))
    return redirect("trainings:my_trainings")


def feed(request, token):
    """A person's sessions as iCalendar; the secret token in the URL is the credential."""
    calendar = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if calendar is None or not calendar.user.is_active:
        raise Http404
    registrations = (
        Registration.objects.filter(user=calendar.user, status=RegistrationStatus.CONFIRMED)
        .filter(session__ends_at__gte=timezone.now() - timezone.timedelta(days=365))
        .select_related("session__training")
        .order_by("session__starts_at")[:500]
    )
    body = services.sessions_ics([r.session for r in registrations], calendar.user, name=_("Formations TCRI"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@permission_required("trainings.download_certificate", fn=_registration)
def certificate(request, pk):
    registration = request.permission_object
    pdf = services.certificate_pdf(registration)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{registration.session_id}.pdf"'
    return response


# Attendance (the trainer's list, self check-in), reports and the files prepared by the
# worker: trainings/views/attendance.py and trainings/views/exports.py.
from trainings.views.attendance import attendance, checkin, checkin_code  # noqa: E402
from trainings.views.exports import registrations_csv, reports, reports_csv, session_certificates  # noqa: E402

__all__ = ["attendance", "checkin", "checkin_code", "registrations_csv", "reports", "reports_csv", "session_certificates"]
