"""The confirmation asked before text that looks like a client identifier is posted.

A service calls ``check_identifiers(body, *names, confirmed=...)`` before it stores
anything; unless the person confirmed, it raises ``IdentifiersFound`` (code
``needs_confirmation``), whose message names what was found by kind with a masked hint.
Views show it with a "Publier quand même" box; sockets answer a ``needs_confirmation`` event.
"""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tcri_site.errors import Refusal
from tcri_site.privacy_guard.detect import BIRTH_DATE, RAMQ, SIN, UCI, Finding, find_identifiers

KIND_LABELS = {
    SIN: _("un numéro d'assurance sociale"),
    UCI: _("un identifiant client d'IRCC (IUC)"),
    RAMQ: _("un numéro d'assurance maladie du Québec"),
    BIRTH_DATE: _("une date de naissance"),
}


def describe(findings: list[Finding]) -> str:
    """« un numéro d'assurance sociale (••••••544), une date de naissance (•••••••990) »"""
    return ", ".join(f"{KIND_LABELS[f.kind]} ({f.hint})" for f in findings[:5])


class IdentifiersFound(Refusal):
    status = 400
    code = "needs_confirmation"

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        # Lazy: shown in the language active where it is sent (a socket's, a request's).
        super().__init__(lazy(self._text, str)())

    def _text(self) -> str:
        return gettext(
            "Ce texte semble contenir des renseignements sur une personne : %(found)s. "
            "Retirez-les, ou confirmez que vous voulez publier quand même."
        ) % {"found": describe(self.findings)}

    @property
    def kinds(self) -> list[str]:
        seen: list[str] = []
        for finding in self.findings:
            if finding.kind not in seen:
                seen.append(finding.kind)
        return seen

    def as_payload(self) -> dict:
        return {
            "kinds": self.kinds,
            "found": [{"kind": f.kind, "label": str(KIND_LABELS[f.kind]), "hint": f.hint} for f in self.findings],
            "message": str(self.message),
        }


def check_identifiers(*texts, names=(), confirmed: bool = False) -> None:
    """Raise ``IdentifiersFound`` if any of ``texts`` or file ``names`` looks like it holds
    an identifier (in a name, ``_`` separates words: ``nas_130692544.pdf``)."""
    if confirmed is True:
        return
    texts = [text for text in texts if isinstance(text, str)]
    texts += [name.replace("_", " ") for name in names if isinstance(name, str)]
    findings = [finding for text in texts for finding in find_identifiers(text)]
    if findings:
        raise IdentifiersFound(findings)
