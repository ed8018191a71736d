"""Collective demands, their amendments and comments, forum sessions, votes and minutes.

A demand is a Wagtail snippet with revisions, draft state, locking and workflows, so its
history, comparison and audit log come from Wagtail. Its ``state`` (the forum's lifecycle)
only changes through ``advocacy.services``. One ballot per organisation and motion is a
database constraint, not a convention.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Page,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from tcri_site.members.models import Organisation, Volet


class DemandState(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    CONSULTATION = "consultation", _("En consultation")
    AGENDA = "ordre_du_jour", _("À l'ordre du jour")
    VOTE = "au_vote", _("Au vote")
    ADOPTED = "adoptee", _("Adoptée")
    REJECTED = "rejetee", _("Rejetée")
    WITHDRAWN = "retiree", _("Retirée")
    TRANSMITTED = "transmise", _("Transmise au MIFI")
    FOLLOW_UP = "suivi", _("Suivi")


#: States whose demands anyone may read (the public cahier and its history).
PUBLIC_STATES = {
    DemandState.ADOPTED,
    DemandState.TRANSMITTED,
    DemandState.FOLLOW_UP,
}
CAHIER_STATES = [DemandState.ADOPTED, DemandState.TRANSMITTED, DemandState.FOLLOW_UP]


class DemandTag(TaggedItemBase):
    content_object = ParentalKey("advocacy.Demand", related_name="tagged_items", on_delete=models.CASCADE)


class Demand(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, ClusterableModel):
    """A collective demand (revendication) of the PASI member organisations."""

    title = models.CharField(_("titre"), max_length=255)
    text = models.TextField(
        _("texte de la revendication"),
        help_text=_("Le texte soumis au vote. Un paragraphe par ligne vide."),
    )
    rationale = models.TextField(_("justification"), blank=True)
    volets = ParentalManyToManyField(Volet, blank=True, related_name="demands", verbose_name=_("volets PASI"))
    migration_statuses = ParentalManyToManyField(
        "reference.MigrationStatus",
        blank=True,
        related_name="demands",
        verbose_name=_("statuts migratoires concernés"),
    )
    tags = ClusterTaggableManager(through=DemandTag, blank=True, verbose_name=_("mots-clés"))
    proposing_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_demands",
        verbose_name=_("organisme proposeur"),
    )
    cosigners = ParentalManyToManyField(
        Organisation, blank=True, related_name="cosigned_demands", verbose_name=_("organismes cosignataires")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rédigée par"),
    )
    state = models.CharField(
        _("étape"), max_length=20, choices=DemandState.choices, default=DemandState.DRAFT, db_index=True
    )
    consultation_ends_at = models.DateTimeField(_("fin de la consultation"), null=True, blank=True)
    transmitted_at = models.DateTimeField(_("transmise au MIFI le"), null=True, blank=True)
    mifi_response = models.TextField(_("réponse du MIFI"), blank=True)
    progress_note = models.TextField(_("état d'avancement"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="demand")
    _workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="demand",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("rationale"),
        MultiFieldPanel(
            [FieldPanel("volets"), FieldPanel("migration_statuses"), FieldPanel("tags")],
            heading=_("Classement"),
        ),
        MultiFieldPanel(
            [FieldPanel("proposing_organisation"), FieldPanel("cosigners")],
            heading=_("Organismes"),
        ),
        FieldPanel("consultation_ends_at"),
        MultiFieldPanel(
            [FieldPanel("mifi_response"), FieldPanel("progress_note")], heading=_("Suivi")
        ),
    ]

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("text"),
        index.SearchField("rationale"),
        index.FilterField("state"),
    ]

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("revendication")
        verbose_name_plural = _("revendications")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:demand", kwargs={"pk": self.pk})

    @property
    def is_public(self) -> bool:
        return self.state in PUBLIC_STATES

    def with_content_json(self, content):
        """Publishing an older revision never moves the forum's lifecycle back."""
        obj = super().with_content_json(content)
        for name in ("state", "transmitted_at", "mifi_response", "progress_note", "proposing_organisation_id", "author_id"):
            setattr(obj, name, getattr(self, name))
        return obj

    @property
    def reference(self) -> str:
        return f"R-{self.pk:03d}" if self.pk else ""


class AmendmentStatus(models.TextChoices):
    PROPOSED = "proposee", _("Proposé")
    ACCEPTED = "acceptee", _("Accepté par le proposeur")
    ADOPTED = "adoptee", _("Adopté par l'assemblée")
    REJECTED = "rejetee", _("Rejeté")
    WITHDRAWN = "retiree", _("Retiré")


class Amendment(models.Model):
    """A proposed change to a demand's text, with its rationale."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="amendments", verbose_name=_("revendication"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("organisme")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("proposé par")
    )
    base_text = models.TextField(_("texte d'origine"))
    proposed_text = models.TextField(_("texte proposé"))
    rationale = models.TextField(_("justification"))
    status = models.CharField(
        _("statut"), max_length=12, choices=AmendmentStatus.choices, default=AmendmentStatus.PROPOSED
    )
    merged_revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposé le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("amendement")
        verbose_name_plural = _("amendements")

    def __str__(self) -> str:
        return _("Amendement n° %(n)s à « %(title)s »") % {"n": self.pk, "title": self.demand.title}

    def get_absolute_url(self) -> str:
        return reverse("advocacy:amendment", kwargs={"pk": self.pk})


class Comment(models.Model):
    """A threaded comment during the consultation. The body is plain text."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    body = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")

    def __str__(self) -> str:
        return self.body[:60]


class SessionStatus(models.TextChoices):
    PLANNED = "prevue", _("Prévue")
    IN_PROGRESS = "en_cours", _("En cours")
    ENDED = "terminee", _("Terminée")


class ForumSession(ClusterableModel):
    """A sitting of the forum TCRI-PASI, chaired by the project lead."""

    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place = models.CharField(_("lieu"), max_length=255, blank=True)
    link = models.URLField(_("lien de visioconférence"), blank=True)
    description = models.TextField(_("présentation"), blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("présidence")
    )
    status = models.CharField(_("statut"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    convocation_sent_at = models.DateTimeField(_("convocation envoyée le"), null=True, blank=True)
    quorum_override = models.PositiveIntegerField(
        _("quorum (nombre d'organismes)"),
        null=True,
        blank=True,
        help_text=_("Laissez vide pour la règle par défaut : la majorité des organismes PASI présents."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
        FieldPanel("place"),
        FieldPanel("link"),
        FieldPanel("description"),
        FieldPanel("chair"),
        FieldPanel("quorum_override"),
        InlinePanel("agenda_items", heading=_("Ordre du jour"), label=_("Point")),
    ]

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("séance du forum")
        verbose_name_plural = _("séances du forum")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:session", kwargs={"pk": self.pk})

    @property
    def is_upcoming(self) -> bool:
        return self.ends_at >= timezone.now()


class AgendaKind(models.TextChoices):
    DEMAND = "demand", _("Revendication")
    AMENDMENT = "amendment", _("Amendement")
    UPDATE = "update", _("Suivi de l'implantation")
    OTHER = "other", _("Autre point")


class AgendaItem(models.Model):
    session = ParentalKey(ForumSession, on_delete=models.CASCADE, related_name="agenda_items")
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type de point"), max_length=10, choices=AgendaKind.choices, default=AgendaKind.OTHER)
    title = models.CharField(_("intitulé"), max_length=255)
    demand = models.ForeignKey(Demand, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("revendication"))
    amendment = models.ForeignKey(Amendment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("amendement"))
    update = models.ForeignKey("advocacy.UpdatePage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("mise à jour"))
    notes = models.TextField(_("notes"), blank=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("demand"),
        FieldPanel("amendment"),
        FieldPanel("update"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("point de l'ordre du jour")
        verbose_name_plural = _("points de l'ordre du jour")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """Roll call: one row per organisation present (by its délégué·e or substitut·e)."""

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="attendances")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("présence")
        verbose_name_plural = _("présences")
        constraints = [
            models.UniqueConstraint(fields=["session", "organisation"], name="one_attendance_per_org_and_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.organisation}"


class Threshold(models.TextChoices):
    SIMPLE = "simple", _("Majorité simple des voix exprimées")
    TWO_THIRDS = "deux_tiers", _("Majorité des deux tiers des voix exprimées")


class BallotKind(models.TextChoices):
    SECRET = "secret", _("Vote secret")
    ROLL_CALL = "appel", _("Vote par appel nominal")


class MotionStatus(models.TextChoices):
    PENDING = "en_attente", _("Pas encore ouvert")
    OPEN = "ouvert", _("Ouvert")
    CLOSED = "ferme", _("Fermé")


class MotionResult(models.TextChoices):
    ADOPTED = "adoptee", _("Adoptée")
    REJECTED = "rejetee", _("Rejetée")
    NO_QUORUM = "sans_quorum", _("Rejetée faute de quorum")


class Choice(models.TextChoices):
    FOR = "pour", _("Pour")
    AGAINST = "contre", _("Contre")
    ABSTAIN = "abstention", _("Abstention")


class Motion(models.Model):
    """A question put to the vote: a demand, an amendment to it, or another proposal."""

    session = models.ForeignKey(ForumSession, on_delete=models.CASCADE, related_name="motions", verbose_name=_("séance"))
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, null=True, blank=True, related_name="motions", verbose_name=_("revendication"))
    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, null=True, blank=True, related_name="motions", verbose_name=_("amendement"))
    title = models.CharField(_("intitulé"), max_length=255)
    text = models.TextField(_("texte soumis au vote"), blank=True)
    threshold = models.CharField(_("majorité requise"), max_length=12, choices=Threshold.choices, default=Threshold.SIMPLE)
    ballot_kind = models.CharField(_("type de vote"), max_length=8, choices=BallotKind.choices, default=BallotKind.ROLL_CALL)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)
    status = models.CharField(_("statut"), max_length=12, choices=MotionStatus.choices, default=MotionStatus.PENDING)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(_("résultat"), max_length=12, choices=MotionResult.choices, blank=True)
    # Recorded at close, so the record does not move when memberships change later.
    count_for = models.PositiveIntegerField(default=0)
    count_against = models.PositiveIntegerField(default=0)
    count_abstain = models.PositiveIntegerField(default=0)
    eligible_count = models.PositiveIntegerField(default=0)
    present_count = models.PositiveIntegerField(default=0)
    quorum_required = models.PositiveIntegerField(default=0)
    quorum_met = models.BooleanField(null=True, blank=True)

    panels = [
        FieldPanel("session"),
        FieldPanel("title"),
        FieldPanel("demand"),
        FieldPanel("amendment"),
        FieldPanel("text"),
        FieldPanel("threshold"),
        FieldPanel("ballot_kind"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["session", "sort_order", "pk"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:vote", kwargs={"pk": self.pk})


class Ballot(models.Model):
    """An organisation's ballot on a motion: exactly one, enforced by the database."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cast_by_role = models.CharField(max_length=12, blank=True)
    choice = models.CharField(_("choix"), max_length=12, choices=Choice.choices)
    cast_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [
            models.UniqueConstraint(fields=["motion", "organisation"], name="one_ballot_per_org_and_motion")
        ]

    def __str__(self) -> str:
        return f"{self.motion} — {self.organisation}"


class MinutesStatus(models.TextChoices):
    DRAFT = "brouillon", _("Brouillon")
    PUBLISHED = "publie", _("Publié")


class Minutes(models.Model):
    """The procès-verbal of a session: drafted from the record, edited by the lead, published."""

    session = models.OneToOneField(ForumSession, on_delete=models.CASCADE, related_name="minutes")
    body = models.TextField(_("procès-verbal"))
    status = models.CharField(_("statut"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("procès-verbal")
        verbose_name_plural = _("procès-verbaux")

    def __str__(self) -> str:
        return str(self.session)


class UpdateSubscription(models.Model):
    """A person who wants the implementation updates by e-mail."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advocacy_subscription")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement au suivi")
        verbose_name_plural = _("abonnements au suivi")


# --- Implementation updates (Wagtail pages) --------------------------------------------


class UpdateIndexPage(Page):
    """« Suivi de l'implantation »: lists the update pages under it."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["advocacy.UpdatePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index du suivi de l'implantation")

    def get_context(self, request, *args, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context(request, *args, **kwargs)
        updates = (
            UpdatePage.objects.live().child_of(self).order_by("-date", "-pk").prefetch_related("volets")
        )
        context["page_obj"] = Paginator(updates, 10).get_page(request.GET.get("page"))
        return context


class UpdatePage(Page):
    """One implementation update, tagged by volet and linked to demands."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("résumé"), blank=True)
    body = StreamField(
        [
            ("heading", blocks.CharBlock(label=_("Intertitre"))),
            ("paragraph", blocks.RichTextBlock(label=_("Paragraphe"), features=["bold", "italic", "link", "ol", "ul"])),
            ("quote", blocks.BlockQuoteBlock(label=_("Citation"))),
        ],
        blank=True,
        verbose_name=_("contenu"),
    )
    volets = ParentalManyToManyField(Volet, blank=True, related_name="updates", verbose_name=_("volets PASI"))
    demands = ParentalManyToManyField(Demand, blank=True, related_name="updates", verbose_name=_("revendications liées"))
    announced_at = models.DateTimeField(null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("volets"),
        FieldPanel("demands"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["advocacy.UpdateIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("mise à jour du suivi")
        verbose_name_plural = _("mises à jour du suivi")


# --- Workflow task ------------------------------------------------------------------------

from wagtail.models import AbstractGroupApprovalTask  # noqa: E402


class AgendaApprovalTask(AbstractGroupApprovalTask):
    """Review by the chosen groups (the project lead); approving a demand that is in
    consultation also puts it on the agenda, through the same service as the public button."""

    def on_action(self, task_state, user, action_name, **kwargs):
        result = super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve":
            demand = task_state.workflow_state.content_object
            if isinstance(demand, Demand) and demand.state == DemandState.CONSULTATION:
                from advocacy import services

                try:
                    services.do_transition(user, demand, "schedule")
                except services.AdvocacyError:
                    pass  # approval stands; the lifecycle stays where the rules keep it
        return result

    @classmethod
    def get_description(cls):
        return _("Relecture par la chargée de projet ; l'approbation inscrit la revendication à l'ordre du jour.")

    class Meta:
        verbose_name = _("relecture et inscription à l'ordre du jour")
        verbose_name_plural = _("relectures et inscriptions à l'ordre du jour")
