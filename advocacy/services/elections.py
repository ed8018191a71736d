"""Elections: the call for candidacies, standing and withdrawing, voting (secret by
default), the close and the count (``advocacy.counting``). The only writer of
``Election.status``, ``Candidacy``, ``ElectionParticipation`` and ``ElectionBallot``."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy import counting
from advocacy.models import (
    Candidacy,
    CandidateKind,
    Election,
    ElectionBallot,
    ElectionMethod,
    ElectionParticipation,
    ElectionStatus,
)
from advocacy.services.common import (
    InvalidInput,
    InvalidState,
    _representatives_qs,
    _require,
    eligible_organisations,
)
from advocacy.services.urn import drop_in_the_urn, reshuffle_the_urn
from tcri_site.notifications.models import Kind
from tcri_site.notifications.services import notify


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def standing(election: Election):
    """The candidacies still standing, in a fixed order."""
    return election.candidacies.filter(withdrawn_at__isnull=True).select_related("person", "organisation").order_by("pk")


def check_may_manage(*, actor, election: Election) -> None:
    _require(actor, "advocacy.manage_elections", election, _("Seul·e le ou la chargé·e de projet conduit une élection."))


def _move(election: Election, status: ElectionStatus, actor, action: str, **fields) -> None:
    election.status = status
    for name, value in fields.items():
        setattr(election, name, value)
    election.save(update_fields=["status", *fields])
    log(instance=election, action=f"advocacy.election.{action}", user=actor)


def do_open_candidacies(*, actor, election: Election) -> Election:
    check_may_manage(actor=actor, election=election)
    with transaction.atomic():
        election = _locked(election)
        if election.status != ElectionStatus.DRAFT:
            raise InvalidState(_("L'appel de candidatures est déjà lancé."))
        _move(election, ElectionStatus.CANDIDACY, actor, "candidacy")
        notify(
            _representatives_qs(), kind=Kind.VOTE, actor=actor, url=election.get_absolute_url,
            title=lambda: _("Appel de candidatures : %(title)s") % {"title": election.title},
        )
    return election


def do_stand(*, actor, election: Election, statement: str) -> Candidacy:
    """The actor stands (people), or puts their organisation forward (organisations)."""
    _require(actor, "advocacy.stand_for_election", election, _("Les candidatures viennent des membres des organismes PASI ; celle d'un organisme, de son ou sa délégué·e."))
    statement = statement.strip()
    if not statement:
        raise InvalidInput(_("Présentez votre candidature en quelques lignes."))
    if len(statement) > 1500:
        raise InvalidInput(_("La présentation dépasse 1 500 caractères."))
    with transaction.atomic():
        election = _locked(election)
        _check_candidacies_open(election)
        person = actor if election.candidate_kind == CandidateKind.PERSON else None
        existing = election.candidacies.filter(organisation=actor.organisation, person=person).first()
        if existing and existing.withdrawn_at is None:
            raise InvalidState(_("Cette candidature est déjà déposée."))
        if existing:
            existing.statement, existing.withdrawn_at, existing.submitted_by = statement, None, actor
            existing.save(update_fields=["statement", "withdrawn_at", "submitted_by"])
            return existing
        return Candidacy.objects.create(election=election, person=person, organisation=actor.organisation, statement=statement, submitted_by=actor)


def _check_candidacies_open(election: Election) -> None:
    if election.status != ElectionStatus.CANDIDACY:
        raise InvalidState(_("L'appel de candidatures est fermé."))
    if election.candidacies_close_at and election.candidacies_close_at <= timezone.now():
        raise InvalidState(_("L'appel de candidatures est fermé depuis le %(when)s.") % {"when": timezone.localtime(election.candidacies_close_at).strftime("%Y-%m-%d %H:%M")})


def do_withdraw_candidacy(*, actor, candidacy: Candidacy) -> Candidacy:
    """The candidate (or their organisation's délégué·e, or the chair) withdraws it, until the
    close; a withdrawal during the vote leaves the ballots cast, which skip the candidate."""
    _require(actor, "advocacy.withdraw_candidacy", candidacy, _("Seul·e la personne candidate, son ou sa délégué·e ou la présidence retire une candidature."))
    with transaction.atomic():
        election = _locked(candidacy.election)
        if election.status == ElectionStatus.CLOSED:
            raise InvalidState(_("L'élection est terminée : la candidature ne se retire plus."))
        candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
        if candidacy.withdrawn_at:
            raise InvalidState(_("Cette candidature est déjà retirée."))
        candidacy.withdrawn_at = timezone.now()
        candidacy.save(update_fields=["withdrawn_at"])
        log(instance=election, action="advocacy.election.withdraw", user=actor, data={"candidacy": candidacy.pk})
    return candidacy


def do_open_voting(*, actor, election: Election) -> Election:
    check_may_manage(actor=actor, election=election)
    with transaction.atomic():
        election = _locked(election)
        if election.status != ElectionStatus.CANDIDACY:
            raise InvalidState(_("Le vote s'ouvre après l'appel de candidatures."))
        if standing(election).count() < 1:
            raise InvalidInput(_("Aucune candidature : le vote ne peut pas s'ouvrir."))
        if election.method == ElectionMethod.IRV and election.seats != 1:
            raise InvalidInput(_("Le vote préférentiel ne pourvoit qu'un siège ; choisissez l'approbation pour plusieurs sièges."))
        _move(election, ElectionStatus.VOTING, actor, "voting")
        notify(
            _representatives_qs(), kind=Kind.VOTE, actor=actor, url=election.get_absolute_url,
            title=lambda: _("Vote ouvert : %(title)s") % {"title": election.title},
        )
    return election


def _checked_choices(election: Election, choices) -> list[int]:
    ids = set(standing(election).values_list("pk", flat=True))
    try:
        chosen = [int(c) for c in choices or []]
    except (TypeError, ValueError):
        chosen = None
    if chosen is None or len(set(chosen)) != len(chosen) or set(chosen) - ids:
        raise InvalidInput(_("Choisissez parmi les candidatures en lice, chacune une fois."))
    if election.method == ElectionMethod.APPROVAL and len(chosen) > election.seats:
        raise InvalidInput(_("Au plus %(n)d choix : autant que de sièges.") % {"n": election.seats})
    return chosen


def do_cast_election_ballot(*, actor, election: Election, choices) -> ElectionParticipation:
    """One ballot per organisation, final once cast. An empty ballot is a blank vote."""
    _require(actor, "advocacy.vote_in_election", election, _("Seul·es les délégué·es et substitut·es des organismes membres votent."))
    with transaction.atomic():
        election = _locked(election)
        if election.status != ElectionStatus.VOTING:
            raise InvalidState(_("Le vote n'est pas ouvert."))
        organisation = actor.organisation
        if not eligible_organisations().filter(pk=organisation.pk).exists():
            raise InvalidState(_("Votre organisme ne participe pas au PASI : il ne vote pas."))
        if ElectionParticipation.objects.filter(election=election, organisation=organisation).exists():
            raise InvalidState(_("Votre organisme a déjà voté à cette élection ; un bulletin déposé ne change plus."))
        chosen = _checked_choices(election, choices)
        participation = ElectionParticipation.objects.create(
            election=election, organisation=organisation, cast_by=actor, choices=None if election.secret else chosen
        )
        drop_in_the_urn(ElectionBallot, field="choices", content=chosen, election=election)
    return participation


def count(election: Election) -> dict:
    candidacies = list(election.candidacies.select_related("person", "organisation").order_by("pk"))
    standing_ids = [c.pk for c in candidacies if c.withdrawn_at is None]
    names = {c.pk: c.name for c in candidacies}
    ballots = [[c for c in b if c in standing_ids] for b in ElectionBallot.objects.filter(election=election).values_list("choices", flat=True)]
    if election.method == ElectionMethod.IRV:
        outcome = counting.instant_runoff(ballots, standing_ids)
    else:
        outcome = counting.approval(ballots, standing_ids, election.seats)
    return {
        "placed": [{"candidacy": p.candidate, "name": names[p.candidate], "score": p.score, "rank": p.rank, "tied": p.tied} for p in outcome.placed],
        "elected": outcome.elected,
        "tied": outcome.tied,
        "rounds": [{"counts": {str(k): v for k, v in r["counts"].items()}, "eliminated": r["eliminated"]} for r in outcome.rounds],
        "ballots": len(ballots),
        "withdrawn": [{"candidacy": c.pk, "name": c.name} for c in candidacies if c.withdrawn_at is not None],
    }


def do_close_election(*, actor, election: Election) -> Election:
    check_may_manage(actor=actor, election=election)
    with transaction.atomic():
        election = _locked(election)
        if election.status != ElectionStatus.VOTING:
            raise InvalidState(_("Le vote n'est pas ouvert."))
        result = count(election)
        reshuffle_the_urn(ElectionBallot, field="choices", election=election)
        _move(election, ElectionStatus.CLOSED, actor, "close", result=result, closed_at=timezone.now())
        notify(
            _representatives_qs(), kind=Kind.VOTE, actor=actor, url=election.get_absolute_url,
            title=lambda: _("Résultat de l'élection : %(title)s") % {"title": election.title},
        )
    return election
