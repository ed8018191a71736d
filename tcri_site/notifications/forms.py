from django import forms
from django.utils.translation import gettext_lazy as _

from tcri_site.notifications.models import Delivery, Kind

KIND_HELP = {
    Kind.MENTION: _("Quand quelqu'un vous mentionne dans un espace d'échange."),
    Kind.REPLY: _("Quand quelqu'un répond à un fil que vous suivez."),
    Kind.TRAINING: _("Nouvelles formations et séances dans les volets de votre organisme."),
    Kind.REGISTRATION: _("Confirmation d'inscription, annulation, passage de la liste d'attente."),
    Kind.CONVOCATION: _("Convocations et ordres du jour des séances du forum."),
    Kind.VOTE: _("Quand un vote s'ouvre au forum TCRI-PASI."),
    Kind.DEMAND: _("Quand une revendication change d'état."),
    Kind.UPDATE: _("Nouvelles informations sur l'implantation du PASI."),
    Kind.MODERATION: _("Décisions de modération qui vous concernent."),
}


class PreferencesForm(forms.Form):
    """One radio group per kind of notification (each rendered as its own fieldset)."""

    def __init__(self, *args, initial_choices: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=initial_choices.get(kind.value),
                help_text=KIND_HELP.get(kind, ""),
                error_messages={
                    "required": _("Choisissez comment recevoir ce type de notification."),
                    "invalid_choice": _("Ce choix n'existe pas; choisissez une des options."),
                },
            )


class NotificationFilterForm(forms.Form):
    SHOW_CHOICES = [("unread", _("Non lues")), ("all", _("Toutes"))]

    show = forms.ChoiceField(label=_("Afficher"), choices=SHOW_CHOICES, required=False)
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous les types")), *Kind.choices], required=False
    )
