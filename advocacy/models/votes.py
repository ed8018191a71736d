"""Votes: motions and ballots, with their vocabularies (threshold, kind, status, result,
choice). One ballot per organisation and motion is a database constraint.

A roll-call motion keeps each organisation's ``Ballot`` (its choice, who cast it). A secret
motion keeps two records with nothing that joins them: ``SecretParticipation`` (that the
organisation voted: who, how the ballot came, when; never the choice) and the urn,
``SecretChoice`` (the choice only, a random UUID, rewritten in random order by
``advocacy.services.urn``). docs/voting.md gives the threat model.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from advocacy.models.demands import Amendment, Demand
from advocacy.models.sessions import ForumSession
from tcri_site.members.models import Organisation


class Threshold(models.TextChoices):
    SIMPLE = "simple", _("Majorité simple des voix exprimées")
    TWO_THIRDS = "two_thirds", _("Majorité des deux tiers des voix exprimées")


class BallotKind(models.TextChoices):
    SECRET = "secret", _("Vote secret")
    ROLL_CALL = "roll_call", _("Vote par appel nominal")


class MotionStatus(models.TextChoices):
    PENDING = "pending", _("Pas encore ouvert")
    OPEN = "open", _("Ouvert")
    CLOSED = "closed", _("Fermé")


class MotionResult(models.TextChoices):
    ADOPTED = "adopted", _("Adoptée")
    REJECTED = "rejected", _("Rejetée")
    NO_QUORUM = "no_quorum", _("Rejetée faute de quorum")
    NO_SECOND_MAJORITY = "no_second", _("Rejetée : double majorité non atteinte")


class SecondMajority(models.TextChoices):
    """A double majority's second condition (``advocacy.tally``)."""

    NONE = "", _("Aucune (majorité des organismes seulement)")
    REGIONS = "regions", _("Et la majorité dans la majorité des régions représentées")
    VOLETS = "volets", _("Et la majorité des organismes financés dans les volets de la revendication")


class Choice(models.TextChoices):
    FOR = "for", _("Pour")
    AGAINST = "against", _("Contre")
    ABSTAIN = "abstain", _("Abstention")


class BallotChannel(models.TextChoices):
    """How a ballot reached the record: online by a voter, or entered by the chair."""

    ONLINE = "online", _("En ligne")
    PAPER = "paper", _("Bulletin papier")
    PHONE = "phone", _("Par téléphone")
    HANDS = "hands", _("À main levée")


ENTERED_CHANNELS = (BallotChannel.PAPER, BallotChannel.PHONE, BallotChannel.HANDS)


class Motion(models.Model):
    """A question put to the vote: a demand, an amendment to it, or another proposal."""

    #: Empty for an online vote between sittings (``opens_at``/``closes_at``, ``advocacy.services.online``).
    session = models.ForeignKey(
        ForumSession, on_delete=models.CASCADE, null=True, blank=True, related_name="motions", verbose_name=_("séance"),
        help_text=_("Laissez vide pour un vote en ligne entre les séances (avec ouverture et clôture)."),
    )
    demand = models.ForeignKey(Demand, on_delete=models.PROTECT, null=True, blank=True, related_name="motions", verbose_name=_("revendication"))
    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, null=True, blank=True, related_name="motions", verbose_name=_("amendement"))
    title = models.CharField(_("intitulé"), max_length=255)
    text = models.TextField(_("texte soumis au vote"), blank=True)
    threshold = models.CharField(_("majorité requise"), max_length=12, choices=Threshold.choices, default=Threshold.SIMPLE)
    ballot_kind = models.CharField(_("type de vote"), max_length=12, choices=BallotKind.choices, default=BallotKind.ROLL_CALL)
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
    second_majority = models.CharField(
        _("double majorité"), max_length=10, choices=SecondMajority.choices, default=SecondMajority.NONE, blank=True
    )
    #: At close: {"kind", "held", "with_majority", "represented", "pour", "contre"}.
    second_majority_detail = models.JSONField(default=dict, blank=True, editable=False)
    # Online vote between sittings (no session): when it opens and closes by itself, and
    # its participation quorum (organisations that voted; both empty: a majority of them).
    opens_at = models.DateTimeField(_("ouverture du vote en ligne"), null=True, blank=True)
    closes_at = models.DateTimeField(_("clôture du vote en ligne"), null=True, blank=True, db_index=True)
    quorum_min_organisations = models.PositiveIntegerField(
        _("participation minimale (organismes)"), default=0, blank=True,
        help_text=_("Nombre minimal d'organismes qui doivent voter ; 0 : aucun minimum en nombre."),
    )
    quorum_min_percent = models.PositiveSmallIntegerField(
        _("participation minimale (%)"), default=0, blank=True,
        help_text=_("Part minimale des organismes ayant droit de vote qui doivent voter ; 0 : aucune part minimale."),
    )

    panels = [
        FieldPanel("session"),
        FieldPanel("title"),
        FieldPanel("demand"),
        FieldPanel("amendment"),
        FieldPanel("text"),
        FieldPanel("threshold"),
        FieldPanel("second_majority"),
        FieldPanel("ballot_kind"),
        FieldPanel("sort_order"),
        FieldPanel("opens_at"),
        FieldPanel("closes_at"),
        FieldPanel("quorum_min_organisations"),
        FieldPanel("quorum_min_percent"),
    ]

    class Meta:
        ordering = ["session", "sort_order", "pk"]
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.ballot_kind == BallotKind.SECRET and self.second_majority:
            raise ValidationError({"second_majority": SECRET_WITHOUT_SECOND_MAJORITY})
        if self.pk and not self.is_pending:
            # Ballots already cast are stored for the kind they were cast under.
            stored = Motion.objects.filter(pk=self.pk).values_list("ballot_kind", flat=True).first()
            if stored and stored != self.ballot_kind:
                raise ValidationError({"ballot_kind": _("Le type de vote ne change plus une fois le vote ouvert.")})
        if self.session_id is None:
            errors = {}
            if self.opens_at is None:
                errors["opens_at"] = _("Un vote en ligne (sans séance) a une date d'ouverture.")
            if self.closes_at is None:
                errors["closes_at"] = _("Un vote en ligne (sans séance) a une date de clôture.")
            elif self.opens_at is not None and self.closes_at <= self.opens_at:
                errors["closes_at"] = _("La clôture doit suivre l'ouverture.")
            if self.quorum_min_percent and self.quorum_min_percent > 100:
                errors["quorum_min_percent"] = _("Une part se donne entre 0 et 100 %.")
            if errors:
                raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("advocacy:vote", kwargs={"pk": self.pk})

    @property
    def is_pending(self) -> bool:
        return self.status == MotionStatus.PENDING

    @property
    def is_open(self) -> bool:
        return self.status == MotionStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == MotionStatus.CLOSED

    @property
    def is_roll_call(self) -> bool:
        return self.ballot_kind == BallotKind.ROLL_CALL

    @property
    def is_online(self) -> bool:
        """Put to an online vote between sittings: no session, opens and closes by itself."""
        return self.session_id is None

    @property
    def is_secret(self) -> bool:
        return self.ballot_kind == BallotKind.SECRET


#: A double majority counts each region's (or volet's) choices: a secret urn has none.
SECRET_WITHOUT_SECOND_MAJORITY = _(
    "Un vote secret ne peut pas exiger de double majorité : l'urne ne garde que les choix, sans organisme ni région."
)


class Ballot(models.Model):
    """An organisation's ballot on a motion: exactly one, enforced by the database."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cast_by_role = models.CharField(max_length=12, blank=True)
    # "online" when the voter cast it; otherwise the chair entered it (``entered_by``).
    channel = models.CharField(_("canal"), max_length=8, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
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

    #: A roll-call ballot can be changed by whoever cast it online until the close.
    is_final = False

    @property
    def is_entered(self) -> bool:
        return self.channel != BallotChannel.ONLINE


class SecretParticipation(models.Model):
    """That an organisation voted on a secret motion: who cast it (or, with ``entered_by``,
    that the chair entered it and how it came), when. Never what: ``choice`` is always
    ``None`` here (the same attributes as a ``Ballot`` otherwise, for the vote page)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="secret_participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cast_by_role = models.CharField(max_length=12, blank=True)
    channel = models.CharField(_("canal"), max_length=8, choices=BallotChannel.choices, default=BallotChannel.ONLINE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)

    #: The choice is in the urn, with nothing that leads back here; a secret ballot is final.
    choice = None
    is_final = True

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("participation à un vote secret")
        verbose_name_plural = _("participations aux votes secrets")
        constraints = [
            models.UniqueConstraint(fields=["motion", "organisation"], name="one_secret_ballot_per_org_and_motion")
        ]

    def __str__(self) -> str:
        return f"{self.motion} — {self.organisation}"

    @property
    def is_entered(self) -> bool:
        return self.channel != BallotChannel.ONLINE

    def get_choice_display(self) -> str:
        return ""


class SecretChoice(models.Model):
    """The urn of a secret motion: one row per ballot, its choice only. No organisation, no
    person, no date, no sequential key; the rows' order is rewritten at random at each
    ballot and at the close (``advocacy.services.urn``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(_("choix"), max_length=12, choices=Choice.choices)

    class Meta:
        verbose_name = _("bulletin secret (urne)")
        verbose_name_plural = _("bulletins secrets (urne)")
