"""Elections: people or organisations elected to seats (for example representatives to a
working table with the ministry). A call for candidacies, candidates with a statement, one
ballot per organisation, approval or instant run-off, secret by default.

Secrecy: who voted (``ElectionParticipation``: organisation, person, time) and how
(``ElectionBallot``: the choices only) share no key, no timestamp and no ordering: a secret
ballot has a random UUID, no date, and each cast writes the urn anew in a random order
(``advocacy.services.urn``, shared with secret motions), so the rows' order in the table or
a dump is a random permutation of the casting order. docs/voting.md gives the threat model.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from advocacy.models.sessions import ForumSession
from tcri_site.members.models import Organisation


class ElectionMethod(models.TextChoices):
    APPROVAL = "approval", _("Vote par approbation (autant de choix que de sièges)")
    IRV = "irv", _("Vote préférentiel, un siège (second tour instantané)")


class CandidateKind(models.TextChoices):
    PERSON = "person", _("Des personnes")
    ORGANISATION = "organisation", _("Des organismes")


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    CANDIDACY = "candidacy", _("Appel de candidatures")
    VOTING = "voting", _("Vote en cours")
    CLOSED = "closed", _("Résultat publié")


class Election(models.Model):
    title = models.CharField(_("intitulé"), max_length=255)
    description = models.TextField(_("présentation"), blank=True)
    seats = models.PositiveSmallIntegerField(_("sièges"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)])
    method = models.CharField(_("méthode"), max_length=10, choices=ElectionMethod.choices, default=ElectionMethod.APPROVAL)
    candidate_kind = models.CharField(_("on élit"), max_length=12, choices=CandidateKind.choices, default=CandidateKind.PERSON)
    secret = models.BooleanField(_("vote secret"), default=True)
    session = models.ForeignKey(
        ForumSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="elections",
        verbose_name=_("tenue en séance"), help_text=_("Le résultat figure alors au procès-verbal."),
    )
    candidacies_close_at = models.DateTimeField(_("fin de l'appel de candidatures"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=ElectionStatus.choices, default=ElectionStatus.DRAFT)
    closed_at = models.DateTimeField(_("fermée le"), null=True, blank=True)
    #: At close: {"placed": [{"candidacy", "name", "score", "rank", "tied"}], "elected": [...],
    #: "tied": [...], "rounds": [{"counts": {id: n}, "eliminated": [ids]}], "ballots": n}
    result = models.JSONField(_("résultat"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"), FieldPanel("description"), FieldPanel("candidate_kind"), FieldPanel("seats"),
        FieldPanel("method"), FieldPanel("secret"), FieldPanel("candidacies_close_at"), FieldPanel("session"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("élection")
        verbose_name_plural = _("élections")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("advocacy:election", kwargs={"pk": self.pk})


class Candidacy(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisme"))
    statement = models.TextField(_("présentation de la candidature"), max_length=1500)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="one_candidacy_per_person"),
            models.UniqueConstraint(
                fields=["election", "organisation"], condition=models.Q(person__isnull=True), name="one_candidacy_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.person_id:
            return f"{self.person.get_full_name()} ({self.organisation.short_name})"
        return str(self.organisation)


class ElectionParticipation(models.Model):
    """That an organisation voted: who for it, when. Never what (unless the vote is open:
    ``choices`` is filled only for a non-secret election)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cast_at = models.DateTimeField(auto_now_add=True)
    choices = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "organisation"], name="one_election_ballot_per_organisation")]


class ElectionBallot(models.Model):
    """The urn: one row per ballot, its choices only (candidacy ids; ranked for IRV)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    choices = models.JSONField()
