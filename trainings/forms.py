from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from tcri_site.members.models import Region, Volet
from tcri_site.reference.models import MigrationStatus
from trainings.models import SessionFormat, SessionStatus


class SessionFilterForm(forms.Form):
    WHEN_CHOICES = [("upcoming", _("À venir")), ("past", _("Passées")), ("all", _("Toutes"))]

    q = forms.CharField(
        label=_("Rechercher une formation"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Des mots du titre, du résumé ou du contenu, par exemple « demandeur d'asile »."),
    )
    statut = forms.ChoiceField(label=_("Statut migratoire"), required=False)
    volet = forms.ChoiceField(label=_("Volet PASI"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Tous"))] + list(SessionFormat.choices)
    )
    etat = forms.ChoiceField(
        label=_("État de la séance"), required=False, choices=[("", _("Tous"))] + list(SessionStatus.choices)
    )
    region = forms.ChoiceField(
        label=_("Région (présentiel)"), required=False, choices=[("", _("Toutes"))] + list(Region.choices)
    )
    quand = forms.ChoiceField(label=_("Période"), required=False, choices=WHEN_CHOICES)
    du = forms.DateField(label=_("À partir du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("Jusqu'au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    etiquette = forms.ChoiceField(label=_("Étiquette"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", _("Tous"))] + [
            (s.slug, str(s)) for s in MigrationStatus.objects.all()
        ]
        self.fields["volet"].choices = [("", _("Tous"))] + [
            (str(v.number), str(v)) for v in Volet.objects.all()
        ]
        self.fields["etiquette"].choices = [("", _("Toutes"))] + list(
            Tag.objects.filter(trainings_trainingpagetag_items__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )


class ColleagueRegistrationForm(forms.Form):
    person = forms.TypedChoiceField(label=_("Collègue à inscrire"), coerce=int)
    waitlist = forms.BooleanField(
        label=_("Si la séance est complète, l'inscrire sur la liste d'attente"), required=False, initial=True
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("Choisir une personne"))] + [
            (user.pk, f"{user.get_full_name()} ({user.email})") for user in colleagues
        ]


class ReportForm(forms.Form):
    DIMENSIONS = [
        ("organisation", _("Organisme")),
        ("region", _("Région")),
        ("volet", _("Volet PASI de l'organisme")),
        ("statut", _("Statut migratoire traité")),
    ]
    par = forms.ChoiceField(label=_("Regrouper par"), choices=DIMENSIONS, required=False)
    du = forms.DateField(label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        return data


class EvaluationForm(forms.Form):
    """The evaluation after a session: one field per question staff set in the admin."""

    YES, NO = "oui", "non"

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        from trainings.models import EvaluationKind
        from trainings.services.evaluation import TEXT_MAX

        self.questions = list(questions)
        for question in self.questions:
            name = f"question_{question.pk}"
            if question.kind == EvaluationKind.RATING:
                self.fields[name] = forms.TypedChoiceField(
                    label=question.label, required=question.required, coerce=int, empty_value=None,
                    choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect,
                    help_text=_("1 : pas du tout satisfait·e ; 5 : tout à fait satisfait·e."),
                    error_messages={
                        "required": _("Choisissez une note de 1 à 5."),
                        "invalid_choice": _("Choisissez une note de 1 à 5."),
                    },
                )
            elif question.kind == EvaluationKind.YES_NO:
                self.fields[name] = forms.ChoiceField(
                    label=question.label, required=question.required, widget=forms.RadioSelect,
                    choices=[(self.YES, _("Oui")), (self.NO, _("Non"))],
                    error_messages={
                        "required": _("Répondez par oui ou par non."),
                        "invalid_choice": _("Répondez par oui ou par non."),
                    },
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.label, required=question.required, max_length=TEXT_MAX,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        "required": _("Écrivez quelques mots en réponse."),
                        "max_length": _("Au plus %(limit_value)s caractères (vous en avez écrit %(show_value)s)."),
                    },
                )

    def answers(self) -> dict[int, object]:
        """The cleaned values by question id, as ``do_submit_evaluation`` takes them."""
        from trainings.models import EvaluationKind

        values: dict[int, object] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"question_{question.pk}")
            if value in (None, ""):
                continue
            if question.kind == EvaluationKind.YES_NO:
                value = value == self.YES
            values[question.pk] = value
        return values


class RegistrationAnswersForm(forms.Form):
    """The session's registration questions, one field each (``q<pk>``), in their order."""

    def __init__(self, *args, questions=(), **kwargs):
        from trainings.models import QuestionKind
        from trainings.services.questions import MAX_ANSWER_LENGTH

        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        messages = {"required": _("Répondez à cette question : elle est obligatoire.")}
        for question in self.questions:
            common = {"label": question.label, "required": question.required, "error_messages": messages}
            if question.kind == QuestionKind.SINGLE:
                field = forms.ChoiceField(choices=question.choice_pairs(), widget=forms.RadioSelect, **common)
            elif question.kind == QuestionKind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=question.choice_pairs(), widget=forms.CheckboxSelectMultiple, **common
                )
            elif question.kind == QuestionKind.INTERPRETATION:
                field = forms.CharField(
                    max_length=100, help_text=_("La langue dans laquelle vous avez besoin d'interprétation."), **common
                )
            else:
                field = forms.CharField(
                    max_length=MAX_ANSWER_LENGTH, widget=forms.Textarea(attrs={"rows": 3}), **common
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict:
        return {question.pk: self.cleaned_data.get(f"q{question.pk}") for question in self.questions}


class CheckinForm(forms.Form):
    code = forms.CharField(
        label=_("Code de la séance"),
        max_length=12,
        help_text=_("Les six caractères affichés par la formatrice ou le formateur, par exemple K7QM3X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Saisissez le code affiché pendant la séance.")},
    )
