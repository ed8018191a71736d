import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from forum import conf
from tcri_site.privacy_guard.forms import ConfirmIdentifiersMixin

ERROR_FIELDS = {
    "empty_message": "body",
    "message_too_long": "body",
    "attachment_type": "attachment",
    "attachment_too_large": "attachment",
    "too_many_attachments": "attachment",
    "title_too_long": "title",
    "reason_too_long": "reason",
}


def attach_error(form: forms.Form, error) -> None:
    """Show a service refusal on the field it concerns (or on the whole form)."""
    field = ERROR_FIELDS.get(error.code)
    if error.code == "missing_field" and "title" in form.fields and not form.data.get("title"):
        field = "title"
    if error.code == "missing_field" and "reason" in form.fields:
        field = "reason"
    form.add_error(field if field in form.fields else None, error.message)


def _attachment_help() -> str:
    return _("Facultatif. %(types)s ; %(size)d Mo au plus.") % {
        "types": ", ".join(sorted(conf.ALLOWED_ATTACHMENTS)),
        "size": conf.max_attachment_bytes() // (1024 * 1024),
    }


class MessageForm(ConfirmIdentifiersMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Markdown accepté : **gras**, _italique_, listes, liens. Mentionnez @sigle ou @identifiant."),
        strip=True,
        required=True,
    )
    attachment = forms.FileField(label=_("Pièce jointe"), required=False)
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    client_id = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachment"].help_text = _attachment_help()
        self.fields["body"].error_messages["required"] = _("Le message est vide. Écrivez quelque chose.")
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4().hex)


class ThreadForm(MessageForm):
    title = forms.CharField(label=_("Titre du fil"), max_length=200)
    tags = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=200,
        help_text=_("Séparés par des virgules, par exemple : asile, logement"),
    )
    field_order = ["title", "tags", "body", "confirm_identifiers", "attachment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Premier message")
        self.fields["title"].error_messages["required"] = _("Donnez un titre au fil.")

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        return [t.strip()[:50] for t in raw.split(",") if t.strip()][:10]


class EditForm(ConfirmIdentifiersMixin, forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 6}))
    field_order = ["body", "confirm_identifiers"]


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du signalement"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_("Expliquez en quelques mots pourquoi ce message pose problème."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Indiquez le motif du signalement.")


class RedactForm(forms.Form):
    passage = forms.CharField(
        label=_("Passage à retirer"),
        required=False,
        max_length=500,
        help_text=_(
            "Laissez vide pour retirer les identifiants repérés. Sinon, copiez exactement le passage : "
            "chaque occurrence sera remplacée par « [retiré] »."
        ),
    )
