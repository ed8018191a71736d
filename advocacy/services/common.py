"""What the forum's services share: the refusals (from ``advocacy.errors``), the permission check, the audit log's
actions, the délégué·es and substitut·es who are told of changes."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy

from advocacy.errors import AdvocacyRefusal, InvalidInput, InvalidState, NotAllowed
from tcri_site.members.models import Membership, Organisation, Role

logger = logging.getLogger(__name__)


def _require(actor, perm: str, obj=None, message=None) -> None:
    """Refuse (``NotAllowed``, with ``message`` or the default one) unless ``rules`` allows."""
    if not actor.has_perm(perm, obj):
        raise NotAllowed(message)


LOG_ACTIONS = {
    "advocacy.demand.submit": (gettext_lazy("Consultation ouverte"), gettext_lazy("A ouvert la consultation")),
    "advocacy.demand.schedule": (gettext_lazy("Inscrite à l'ordre du jour"), gettext_lazy("A inscrit la revendication à l'ordre du jour")),
    "advocacy.demand.withdraw": (gettext_lazy("Retirée"), gettext_lazy("A retiré la revendication")),
    "advocacy.demand.transmit": (gettext_lazy("Transmise au MIFI"), gettext_lazy("A transmis la revendication au MIFI")),
    "advocacy.demand.follow_up": (gettext_lazy("Suivi consigné"), gettext_lazy("A consigné la réponse du MIFI")),
    "advocacy.demand.vote": (gettext_lazy("Mise au vote"), gettext_lazy("A ouvert le vote sur la revendication")),
    "advocacy.demand.adopt": (gettext_lazy("Adoptée"), gettext_lazy("La revendication a été adoptée")),
    "advocacy.demand.reject": (gettext_lazy("Rejetée"), gettext_lazy("La revendication a été rejetée")),
    "advocacy.demand.cosign": (gettext_lazy("Cosignée"), gettext_lazy("A cosigné au nom de son organisme")),
    "advocacy.demand.uncosign": (gettext_lazy("Cosignature retirée"), gettext_lazy("A retiré la cosignature de son organisme")),
    "advocacy.demand.put_forward": (gettext_lazy("Proposée pour l'ordre du jour"), gettext_lazy("Assez d'organismes ont cosigné pour l'ordre du jour")),
    "advocacy.amendment.propose": (gettext_lazy("Amendement proposé"), gettext_lazy("A proposé un amendement")),
    "advocacy.amendment.merge": (gettext_lazy("Amendement intégré"), gettext_lazy("Amendement intégré au texte")),
    "advocacy.motion.open": (gettext_lazy("Vote ouvert"), gettext_lazy("A ouvert le vote")),
    "advocacy.motion.close": (gettext_lazy("Vote fermé"), gettext_lazy("A fermé le vote")),
    "advocacy.motion.schedule_online": (gettext_lazy("Vote en ligne prévu"), gettext_lazy("A mis la proposition au vote en ligne")),
    "advocacy.motion.extend": (gettext_lazy("Vote en ligne prolongé"), gettext_lazy("A prolongé la clôture du vote en ligne")),
    "advocacy.session.convocation": (gettext_lazy("Convocation envoyée"), gettext_lazy("A envoyé la convocation")),
    "advocacy.priorities.open": (gettext_lazy("Priorisation ouverte"), gettext_lazy("A ouvert la priorisation")),
    "advocacy.priorities.close": (gettext_lazy("Priorisation fermée"), gettext_lazy("A fermé la priorisation")),
    "advocacy.election.candidacy": (gettext_lazy("Appel de candidatures lancé"), gettext_lazy("A lancé l'appel de candidatures")),
    "advocacy.election.withdraw": (gettext_lazy("Candidature retirée"), gettext_lazy("A retiré une candidature")),
    "advocacy.election.voting": (gettext_lazy("Vote ouvert"), gettext_lazy("A ouvert le vote de l'élection")),
    "advocacy.election.close": (gettext_lazy("Élection close"), gettext_lazy("A fermé le vote et publié le résultat")),
    "advocacy.minutes.publish": (gettext_lazy("Procès-verbal publié"), gettext_lazy("A publié le procès-verbal")),
    "advocacy.procuration.request": (gettext_lazy("Procuration demandée"), gettext_lazy("A demandé une procuration")),
    "advocacy.procuration.confirmed": (gettext_lazy("Procuration confirmée"), gettext_lazy("A confirmé la procuration")),
    "advocacy.procuration.refused": (gettext_lazy("Procuration refusée"), gettext_lazy("A refusé la procuration")),
    "advocacy.procuration.withdrawn": (gettext_lazy("Procuration retirée"), gettext_lazy("A retiré la procuration")),
}


def eligible_organisations():
    return Organisation.objects.filter(is_active=True, pasi_participant=True)


def _representatives_qs(organisations=None):
    from tcri_site.members.models import User

    memberships = Membership.objects.filter(is_active=True, role__in=[Role.DELEGUE, Role.SUBSTITUT])
    if organisations is not None:
        memberships = memberships.filter(organisation__in=organisations)
    else:
        memberships = memberships.filter(organisation__in=eligible_organisations())
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True)


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))


__all__ = [
    "LOG_ACTIONS",
    "AdvocacyRefusal",
    "InvalidInput",
    "InvalidState",
    "NotAllowed",
    "eligible_organisations",
]
