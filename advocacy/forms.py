"""Forms for the forum's public pages. The services do the checking that needs the database."""

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import Choice
from tcri_site.members.models import Organisation, Volet
from tcri_site.privacy_guard.forms import ConfirmIdentifiersMixin
from tcri_site.reference.models import MigrationStatus


class DemandForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=255)
    text = forms.CharField(
        label=_("Texte de la revendication"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Le texte soumis au vote. Séparez les paragraphes par une ligne vide."),
    )
    rationale = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000)
    volets = forms.ModelMultipleChoiceField(
        label=_("Volets PASI concernés"), queryset=Volet.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    migration_statuses = forms.ModelMultipleChoiceField(
        label=_("Statuts migratoires concernés"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    cosigners = forms.ModelMultipleChoiceField(
        label=_("Organismes cosignataires"),
        queryset=Organisation.objects.filter(is_active=True, pasi_participant=True),
        required=False,
        help_text=_("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
    )
    tags = forms.CharField(
        label=_("Mots-clés"), required=False, max_length=255, help_text=_("Séparés par des virgules.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["migration_statuses"].queryset = MigrationStatus.objects.order_by("name_fr")

    def clean_tags(self):
        raw = self.cleaned_data.get("tags", "")
        return [t.strip()[:100] for t in raw.split(",") if t.strip()][:20]


class DemandEditForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=255)
    text = forms.CharField(label=_("Texte de la revendication"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000)
    rationale = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000)


class CommentForm(ConfirmIdentifiersMixin, forms.Form):
    body = forms.CharField(label=_("Votre commentaire"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    field_order = ["body", "confirm_identifiers", "parent"]


class AmendmentForm(ConfirmIdentifiersMixin, forms.Form):
    proposed_text = forms.CharField(
        label=_("Texte modifié"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_("Modifiez le texte actuel ; la différence sera affichée."),
    )
    rationale = forms.CharField(label=_("Raison de l'amendement"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    field_order = ["proposed_text", "rationale", "confirm_identifiers"]


class BallotForm(forms.Form):
    choice = forms.ChoiceField(label=_("Votre vote"), choices=Choice.choices, widget=forms.RadioSelect)


class FollowUpForm(forms.Form):
    mifi_response = forms.CharField(label=_("Réponse du MIFI"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000)
    progress_note = forms.CharField(label=_("État d'avancement"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000)

    def clean(self):
        data = super().clean()
        if not (data.get("mifi_response", "").strip() or data.get("progress_note", "").strip()):
            raise forms.ValidationError(_("Indiquez la réponse du MIFI ou l'état d'avancement."))
        return data


class MinutesForm(forms.Form):
    body = forms.CharField(label=_("Texte du procès-verbal"), widget=forms.Textarea(attrs={"rows": 30}), max_length=200000)


class DemandFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Étape"), required=False)
    volet = forms.ModelChoiceField(label=_("Volet"), queryset=Volet.objects.all(), required=False, empty_label=_("Tous"))

    def __init__(self, *args, **kwargs):
        from advocacy.models import DemandState

        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("Toutes"))] + list(DemandState.choices)
