"""The readable summary of an export: translated headings and nested values as lists."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

register = template.Library()

LABELS = {
    "members": _("Profil et appartenances"),
    "profile": _("Profil"),
    "memberships": _("Appartenances"),
    "invitations": _("Invitations"),
    "trainings": _("Formations"),
    "registrations": _("Inscriptions et réponses"),
    "certificates": _("Attestations"),
    "forum": _("Espaces d'échange"),
    "threads": _("Fils lancés"),
    "messages": _("Messages"),
    "reports": _("Signalements"),
    "advocacy": _("Forum TCRI-PASI"),
    "demands": _("Revendications rédigées"),
    "comments": _("Commentaires"),
    "amendments": _("Amendements"),
    "roll_call_ballots": _("Votes par appel nominal exprimés pour l'organisme"),
    "secret_ballots": _("Votes secrets auxquels vous avez participé pour l'organisme (sans le choix)"),
    "attendances": _("Présences aux séances"),
    "notifications": _("Notifications"),
    "received": _("Avis reçus"),
    "settings": _("Réglages"),
    "privacy": _("Confidentialité"),
    "consents": _("Acceptations de la politique"),
}


@register.filter
def section_label(key):
    return LABELS.get(key, key)


def _render(value):
    if isinstance(value, dict):
        return format_html(
            "<dl>{}</dl>",
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", ((section_label(k), _render(v)) for k, v in value.items())),
        )
    if isinstance(value, list):
        if not value:
            return format_html("<p>{}</p>", _("Aucun élément."))
        return format_html("<ol>{}</ol>", format_html_join("", "<li>{}</li>", ((_render(v),) for v in value)))
    if value is None or value == "":
        return "—"
    return format_html("{}", value)


@register.simple_tag
def render_value(value):
    return _render(value)
