"""The consultation: threaded comments, amendments (proposed, accepted by the proposer,
merged into the text) and the only writer of ``Amendment.status``. Co-signing organisations
are chosen when the demand is created (``lifecycle.do_create_demand``)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from advocacy.models import (
    Amendment,
    AmendmentStatus,
    Comment,
    Demand,
)
from advocacy.services.common import InvalidInput, InvalidState, _normalise, _require
from advocacy.services.following import notify_demand_followers
from tcri_site.privacy_guard.detect import find_identifiers
from tcri_site.privacy_guard.guard import check_identifiers


def do_comment(*, actor, demand: Demand, body: str, parent: Comment | None = None, confirmed: bool = False) -> Comment:
    _require(actor, "advocacy.comment_demand", demand, _("Les commentaires ne sont ouverts que pendant la consultation."))
    body = body.strip()
    if not body:
        raise InvalidInput(_("Le commentaire est vide."))
    if len(body) > 5000:
        raise InvalidInput(_("Le commentaire dépasse 5 000 caractères."))
    if parent is not None and parent.demand_id != demand.pk:
        raise InvalidInput(_("Ce commentaire ne répond pas à cette revendication."))
    check_identifiers(body, confirmed=confirmed)
    comment = Comment.objects.create(demand=demand, parent=parent, author=actor, organisation=actor.organisation, body=body)
    notify_demand_followers(
        demand, actor=actor,
        title=lambda: _("Nouveau commentaire sur « %(title)s »") % {"title": demand.title},
    )
    return comment


def do_propose_amendment(
    *, actor, demand: Demand, proposed_text: str, rationale: str, confirmed: bool = False
) -> Amendment:
    _require(
        actor,
        "advocacy.amend_demand",
        demand,
        _("Seul·es les délégué·es proposent des amendements, pendant la consultation ou avant le vote."),
    )
    proposed_text = _normalise(proposed_text)
    if not proposed_text:
        raise InvalidInput(_("Le texte proposé est vide."))
    if not rationale.strip():
        raise InvalidInput(_("Expliquez la raison de l'amendement."))
    if proposed_text == demand.text:
        raise InvalidInput(_("Le texte proposé est identique au texte actuel."))
    # What the demand's text already held is not the proposer's to confirm.
    added = [f for f in find_identifiers(proposed_text) if proposed_text[f.start : f.end] not in demand.text]
    check_identifiers(rationale, *(proposed_text[f.start : f.end] for f in added), confirmed=confirmed)
    with transaction.atomic():
        amendment = Amendment.objects.create(
            demand=demand,
            organisation=actor.organisation,
            author=actor,
            base_text=demand.text,
            proposed_text=proposed_text,
            rationale=rationale.strip(),
        )
        log(instance=demand, action="advocacy.amendment.propose", user=actor, data={"amendment": amendment.pk})
        notify_demand_followers(
            demand, actor=actor,
            title=lambda: _("Nouvel amendement proposé à « %(title)s »") % {"title": demand.title},
        )
    return amendment


def merged_text(current: str, base: str, proposed: str) -> str:
    """Apply the change base → proposed to ``current``.

    When other amendments changed the text in between, the changed passage is found by its
    surrounding context; if it cannot be found exactly once the merge is refused.
    """
    if current == base:
        return proposed
    prefix = 0
    limit = min(len(base), len(proposed))
    while prefix < limit and base[prefix] == proposed[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and base[len(base) - 1 - suffix] == proposed[len(proposed) - 1 - suffix]:
        suffix += 1
    old = base[prefix : len(base) - suffix]
    new = proposed[prefix : len(proposed) - suffix]
    before_all = base[max(0, prefix - 40) : prefix]
    after_all = base[len(base) - suffix : len(base) - suffix + 40]
    # Widest unchanged context first; narrower when other amendments touched the surroundings.
    for width_before, width_after in ((40, 40), (20, 20), (40, 0), (0, 40), (10, 10), (20, 0), (0, 20), (5, 5)):
        before = before_all[len(before_all) - min(width_before, len(before_all)) :]
        after = after_all[: width_after]
        needle = before + old + after
        if len(needle) >= 3 and current.count(needle) == 1:
            return current.replace(needle, before + new + after)
    raise InvalidState(_("Le texte a changé depuis cet amendement : il ne peut pas être intégré tel quel."))


def _merge_amendment(actor, amendment: Amendment, status: AmendmentStatus) -> Amendment:
    demand = Demand.objects.select_for_update().get(pk=amendment.demand_id)
    demand.text = merged_text(demand.text, amendment.base_text, amendment.proposed_text)
    revision = demand.save_revision(user=actor, log_action=True)
    revision.publish(user=actor, log_action=False, skip_permission_checks=True)
    _decide_amendment(amendment, status, revision=revision)
    log(instance=demand, action="advocacy.amendment.merge", user=actor, data={"amendment": amendment.pk, "revision": revision.pk})
    return amendment


def _decide_amendment(amendment: Amendment, status: AmendmentStatus, *, revision=None) -> None:
    """The only writer of ``Amendment.status`` (through the model, with its decision time)."""
    amendment.status = status
    amendment.decided_at = timezone.now()
    fields = ["status", "decided_at"]
    if revision is not None:
        amendment.merged_revision = revision
        fields.append("merged_revision")
    amendment.save(update_fields=fields)


def do_accept_amendment(*, actor, amendment: Amendment) -> Amendment:
    with transaction.atomic():
        amendment = Amendment.objects.select_for_update(of=("self",)).select_related("demand").get(pk=amendment.pk)
        _require(actor, "advocacy.accept_amendment", amendment, _("Seul·e le ou la délégué·e de l'organisme proposeur peut accepter un amendement."))
        if not amendment.is_proposed:
            raise InvalidState(_("Cet amendement a déjà été traité."))
        if not amendment.demand.is_open_to_amendments:
            raise InvalidState(_("Un amendement ne peut être accepté qu'avant le vote."))
        return _merge_amendment(actor, amendment, AmendmentStatus.ACCEPTED)
