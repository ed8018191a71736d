"""The evaluation after a session (the attendee's form) and its results in the reports.

Kept apart from ``trainings.views``, which is past the size at which a module splits.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tcri_site.members.decorators import permission_required
from trainings import services
from trainings.forms import EvaluationForm
from trainings.models import TrainingPage, TrainingSession
from trainings.services import evaluation

PER_PAGE = 50


def _session(request, pk):
    return get_object_or_404(TrainingSession.objects.select_related("training"), pk=pk)


@permission_required("trainings.evaluate_session", fn=_session)
def evaluate(request, pk):
    session = request.permission_object
    context = {"session": session, "training": session.training, "min_responses": evaluation.MIN_RESPONSES}
    try:
        services.check_may_evaluate(actor=request.user, session=session)
    except services.TrainingRefusal as refusal:
        # A second submission (or one too late) is refused in words, with nothing stored.
        context["refusal"] = refusal.message
        return render(request, "trainings/evaluation_form.html", context, status=refusal.status if request.method == "POST" else 200)
    questions = evaluation.questions_for(session)
    form = EvaluationForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_submit_evaluation(actor=request.user, session=session, answers=form.answers())
        except services.InvalidEvaluation as refusal:
            form.add_error(None, refusal.message)
        except services.TrainingRefusal as refusal:
            context["refusal"] = refusal.message
            return render(request, "trainings/evaluation_form.html", context, status=refusal.status)
        else:
            messages.success(request, _("Merci ! Votre évaluation est enregistrée, sans votre nom."))
            return redirect("trainings:my_trainings")
    context.update({"form": form, "questions": questions})
    return render(request, "trainings/evaluation_form.html", context, status=400 if form.errors else 200)


@permission_required("trainings.view_evaluation_results")
def evaluation_reports(request):
    page_obj = Paginator(evaluation.trainings_overview(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "trainings/evaluation_reports.html",
        {"page_obj": page_obj, "rows": page_obj.object_list, "min_responses": evaluation.MIN_RESPONSES},
    )


@permission_required("trainings.view_evaluation_results")
def evaluation_training(request, pk):
    training = get_object_or_404(TrainingPage.objects.defer("body"), pk=pk)
    sessions = list(TrainingSession.objects.filter(training=training).order_by("-starts_at")[:500])
    if not sessions:
        raise Http404
    results, per_session = evaluation.training_results(sessions)
    for session in sessions:
        session.responses = per_session.get(session.pk, 0)
    return render(
        request, "trainings/evaluation_results.html",
        {
            "training": training, "session": None, "results": results,
            "sessions": [s for s in sessions if s.responses], "min_responses": evaluation.MIN_RESPONSES,
        },
    )


@permission_required("trainings.view_evaluation_results")
def evaluation_session(request, pk):
    session = _session(request, pk)
    return render(
        request, "trainings/evaluation_results.html",
        {
            "training": session.training, "session": session, "results": evaluation.session_results(session),
            "sessions": [], "min_responses": evaluation.MIN_RESPONSES,
        },
    )
