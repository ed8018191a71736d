"""Collective demands: the demand (a Wagtail snippet with revisions, draft state, locking
and workflows, so its history, comparison and audit log come from Wagtail), its lifecycle
states and their groups, amendments, comments, and the workflow task that puts a demand on
the agenda. ``Demand.state`` only changes through ``advocacy.services.lifecycle``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from tcri_site.members.models import Organisation, Volet


class DemandState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    CONSULTATION = "consultation", _("En consultation")
    AGENDA = "agenda", _("À l'ordre du jour")
    VOTE = "vote", _("Au vote")
    ADOPTED = "adopted", _("Adoptée")
    REJECTED = "rejected", _("Rejetée")
    WITHDRAWN = "withdrawn", _("Retirée")
    TRANSMITTED = "transmitted", _("Transmise au MIFI")
    FOLLOW_UP = "follow_up", _("Suivi")


# State groups, defined once: services, rules, views and templates ask these (or the
# ``Demand.is_*`` properties built on them), never a list of their own.

#: States whose demands anyone may read (the public cahier and its history).
PUBLIC_STATES = frozenset({DemandState.ADOPTED, DemandState.TRANSMITTED, DemandState.FOLLOW_UP})
#: The cahier de revendications, in this order.
CAHIER_STATES = [DemandState.ADOPTED, DemandState.TRANSMITTED, DemandState.FOLLOW_UP]
#: The text may still be edited (by its proposer while a draft, by the lead until the vote).
EDITABLE_STATES = frozenset({DemandState.DRAFT, DemandState.CONSULTATION, DemandState.AGENDA})
#: Amendments may be proposed and accepted, and the demand may be put to the vote.
OPEN_TO_AMENDMENT_STATES = frozenset({DemandState.CONSULTATION, DemandState.AGENDA})
VOTABLE_STATES = OPEN_TO_AMENDMENT_STATES
#: The proposer or the lead may still withdraw the demand.
WITHDRAWABLE_STATES = frozenset({DemandState.DRAFT, DemandState.CONSULTATION, DemandState.AGENDA})
#: The lead records the MIFI's answer.
FOLLOW_UP_STATES = frozenset({DemandState.TRANSMITTED, DemandState.FOLLOW_UP})


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
    put_forward_at = models.DateTimeField(
        _("proposée pour l'ordre du jour le"),
        null=True,
        blank=True,
        help_text=_("Quand assez d'organismes l'ont cosignée (advocacy.services.cosigning)."),
    )
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

    @property
    def is_draft(self) -> bool:
        return self.state == DemandState.DRAFT

    @property
    def is_in_consultation(self) -> bool:
        return self.state == DemandState.CONSULTATION

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_open_to_amendments(self) -> bool:
        return self.state in OPEN_TO_AMENDMENT_STATES

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
    PROPOSED = "proposed", _("Proposé")
    ACCEPTED = "accepted", _("Accepté par le proposeur")
    ADOPTED = "adopted", _("Adopté par l'assemblée")
    REJECTED = "rejected", _("Rejeté")
    WITHDRAWN = "withdrawn", _("Retiré")


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

    @property
    def is_proposed(self) -> bool:
        """Not decided yet: neither accepted, adopted, rejected nor withdrawn."""
        return self.status == AmendmentStatus.PROPOSED


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



# --- Workflow task ------------------------------------------------------------------------

class AgendaApprovalTask(AbstractGroupApprovalTask):
    """Review by the chosen groups (the project lead); approving a demand that is in
    consultation also puts it on the agenda, through the same service as the public button."""

    def on_action(self, task_state, user, action_name, **kwargs):
        result = super().on_action(task_state, user, action_name, **kwargs)
        if action_name == "approve":
            demand = task_state.workflow_state.content_object
            if isinstance(demand, Demand) and demand.state == DemandState.CONSULTATION:
                from advocacy import services
                from tcri_site.errors import Refusal

                try:
                    services.do_transition(actor=user, demand=demand, action="schedule")
                except Refusal:
                    pass  # approval stands; the lifecycle stays where the rules keep it
        return result

    @classmethod
    def get_description(cls):
        return _("Relecture par la chargée de projet ; l'approbation inscrit la revendication à l'ordre du jour.")

    class Meta:
        verbose_name = _("relecture et inscription à l'ordre du jour")
        verbose_name_plural = _("relectures et inscriptions à l'ordre du jour")
