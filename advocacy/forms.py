"""Forms for the forum's public pages. The services do the checking that needs the database."""

from datetime import timedelta

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


class _LocalDateTimeInput(forms.DateTimeInput):
    """A ``datetime-local`` field: the browser's picker, read and shown in America/Montreal
    (the site's time zone: Django makes the entered time aware in it)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class OnlineVoteForm(forms.Form):
    """Putting a motion (or a demand) to an online vote between sittings."""

    title = forms.CharField(label=_("Intitulé"), max_length=255)
    text = forms.CharField(
        label=_("Texte soumis au vote"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=20000,
        help_text=_("Laissez vide pour soumettre le texte de la revendication."),
    )
    opens_at = forms.DateTimeField(
        label=_("Ouverture"), required=False, widget=_LocalDateTimeInput(),
        help_text=_("Heure de Montréal. Laissez vide pour ouvrir le vote maintenant."),
    )
    closes_at = forms.DateTimeField(label=_("Clôture"), widget=_LocalDateTimeInput(), help_text=_("Heure de Montréal."))
    threshold = forms.ChoiceField(label=_("Majorité requise"), choices=())
    ballot_kind = forms.ChoiceField(label=_("Type de vote"), choices=())
    quorum_min_organisations = forms.IntegerField(
        label=_("Participation minimale (organismes)"), min_value=0, required=False, initial=0,
        help_text=_("Nombre minimal d'organismes qui doivent voter."),
    )
    quorum_min_percent = forms.IntegerField(
        label=_("Participation minimale (%)"), min_value=0, max_value=100, required=False, initial=0,
        help_text=_("Part minimale des organismes ayant droit de vote. Les deux à 0 : la majorité des organismes."),
    )

    def __init__(self, *args, demand=None, **kwargs):
        from advocacy.models import BallotKind, Threshold

        super().__init__(*args, **kwargs)
        self.demand = demand
        self.fields["threshold"].choices = Threshold.choices
        self.fields["ballot_kind"].choices = BallotKind.choices
        self.fields["ballot_kind"].initial = BallotKind.ROLL_CALL  # the model's default
        if demand is None:
            self.fields["text"].required = True
            self.fields["text"].help_text = ""

    def clean(self):
        from django.utils import timezone

        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        now = timezone.now()
        if closes_at is not None:
            if closes_at <= now:
                self.add_error("closes_at", _("La clôture doit être dans le futur."))
            elif opens_at is not None and closes_at <= opens_at:
                self.add_error("closes_at", _("La clôture doit suivre l'ouverture."))
        if opens_at is not None and opens_at < now - timedelta(minutes=5):
            self.add_error("opens_at", _("L'ouverture est dans le passé : choisissez maintenant ou une date à venir."))
        data["quorum_min_organisations"] = data.get("quorum_min_organisations") or 0
        data["quorum_min_percent"] = data.get("quorum_min_percent") or 0
        return data


class ExtendDeadlineForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("Nouvelle clôture"), widget=_LocalDateTimeInput(), help_text=_("Heure de Montréal."))
