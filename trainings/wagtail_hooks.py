"""Training sessions, registrations and the migration-status vocabulary in the admin, and
the privacy rule for training material: a restricted page or document is for members."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from trainings import services
from trainings.models import (
    EvaluationAnswer,
    EvaluationQuestion,
    MigrationStatus,
    Registration,
    SessionStatus,
    TrainingIndexPage,
    TrainingPage,
    TrainingSession,
)


class MigrationStatusViewSet(SnippetViewSet):
    model = MigrationStatus
    # The model moved to tcri_site.reference; staff keep the address they know.
    url_prefix = "snippets/trainings/migrationstatus"
    icon = "tag"
    menu_label = _("Statuts migratoires")
    list_display = ["name_fr", "name_en", "abbreviation"]
    list_filter = ["volets"]
    search_fields = ["name_fr", "name_en", "abbreviation"]
    search_backend_name = None
    ordering = ["name_fr"]
    panels = [
        FieldPanel("name_fr"),
        FieldPanel("name_en"),
        FieldPanel("abbreviation"),
        FieldPanel("slug"),
        FieldPanel("description_fr"),
        FieldPanel("description_en"),
        FieldPanel("services_fr"),
        FieldPanel("services_en"),
        FieldPanel("volets"),
        FieldPanel("related"),
        FieldPanel("references"),
    ]


class TrainingSessionViewSet(SnippetViewSet):
    model = TrainingSession
    icon = "date"
    menu_label = _("Séances")
    list_display = ["__str__", "format", "status", "capacity", "trainer"]
    list_filter = ["status", "format"]
    search_fields = ["training__title", "trainer", "place"]
    search_backend_name = None
    ordering = ["-starts_at"]
    list_per_page = 50

    def get_queryset(self, request):
        return TrainingSession.objects.select_related("training")


class RegistrationViewSet(SnippetViewSet):
    model = Registration
    icon = "list-ul"
    menu_label = _("Inscriptions")
    list_display = ["user", "organisation", "session", "status", BooleanColumn("attended"), "queued_at"]
    list_filter = ["status", "attended", "organisation__region"]
    search_fields = ["user__first_name", "user__last_name", "user__email", "session__training__title"]
    search_backend_name = None
    list_export = ["user", "organisation", "session", "status", "attended", "queued_at"]
    export_filename = "inscriptions"
    list_per_page = 50
    panels = [FieldPanel("attended")]

    def get_queryset(self, request):
        return Registration.objects.select_related("user", "organisation", "session__training")


class EvaluationQuestionViewSet(SnippetViewSet):
    """The questions of the evaluation after a session; drag rows to order them."""

    model = EvaluationQuestion
    icon = "help"
    menu_label = _("Questions d'évaluation")
    list_display = ["label_fr", "kind", BooleanColumn("required"), "training", BooleanColumn("active")]
    list_filter = ["kind", "active"]
    search_fields = ["label_fr", "label_en"]
    search_backend_name = None

    def get_queryset(self, request):
        return EvaluationQuestion.objects.select_related("training")


class TrainingsGroup(SnippetViewSetGroup):
    menu_label = _("Formations")
    menu_icon = "date"
    menu_order = 210
    items = (TrainingSessionViewSet, RegistrationViewSet, MigrationStatusViewSet, EvaluationQuestionViewSet)


register_snippet(TrainingsGroup)


@hooks.register("after_create_snippet")
def announce_new_session(request, instance):
    if isinstance(instance, TrainingSession):
        services.do_announce_session(actor=request.user, session=instance)


@hooks.register("before_edit_snippet")
def remember_session_status(request, instance):
    if isinstance(instance, TrainingSession):
        request._trainings_previous_status = (
            TrainingSession.objects.filter(pk=instance.pk).values_list("status", flat=True).first()
        )


@hooks.register("after_edit_snippet")
def announce_cancelled_session(request, instance):
    previous = getattr(request, "_trainings_previous_status", None)
    if isinstance(instance, TrainingSession) and previous != instance.status == SessionStatus.CANCELLED:
        services.do_announce_cancellation(actor=request.user, session=instance)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("trainings.view_reports")


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Rapports de participation"), reverse("trainings:reports"), icon_name="table", order=215
    )


@hooks.register("before_delete_snippet")
def keep_answered_questions(request, instances):
    """A question that has answers stays (the reports need it): staff stop asking it instead."""
    questions = [i.pk for i in instances if isinstance(i, EvaluationQuestion)]
    if questions and EvaluationAnswer.objects.filter(question_id__in=questions).exists():
        messages.error(
            request,
            _("Cette question a déjà des réponses : elle ne peut pas être supprimée. Décochez « posée » pour ne plus la poser."),
        )
        return redirect("wagtailsnippets_trainings_evaluationquestion:list")
    return None


@hooks.register("register_admin_menu_item")
def register_evaluation_reports_menu_item():
    return ReportsMenuItem(
        _("Évaluations des formations"), reverse("trainings:evaluation_reports"), icon_name="pick", order=216
    )


def _restricted(request) -> bool:
    return not request.user.has_perm("trainings.view_private_material")


@hooks.register("before_serve_page")
def members_only_material(page, request, serve_args, serve_kwargs):
    """A training page behind a view restriction is for people of the workspace only."""
    if not isinstance(page.specific, TrainingPage | TrainingIndexPage):
        return None
    if page.get_view_restrictions().exists() and _restricted(request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return None


@hooks.register("before_serve_document")
def members_only_documents(document, request):
    """Documents of the private training collection are for people of the workspace only."""
    collection = document.collection
    if not collection.get_view_restrictions().exists():
        return None
    private = services.private_material_collection_id()
    if private is None:
        return None
    if collection.pk != private and not collection.get_ancestors().filter(pk=private).exists():
        return None
    if _restricted(request):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return None
