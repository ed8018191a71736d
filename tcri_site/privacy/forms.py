from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptPolicyForm(forms.Form):
    accept = forms.BooleanField(label=_("J'ai lu la politique de confidentialité et je l'accepte."))


class ErasureForm(forms.Form):
    email = forms.EmailField(
        label=_("Votre adresse courriel"), help_text=_("Saisissez-la de nouveau pour confirmer que vous voulez effacer votre compte.")
    )
    remove_messages = forms.BooleanField(
        label=_("Retirer aussi mes messages des espaces d'échange (sinon ils restent, signés « Ancien·ne membre »)."),
        required=False,
    )
    confirm = forms.BooleanField(label=_("Je comprends que l'effacement est définitif."))


class StaffErasureForm(forms.Form):
    remove_messages = forms.BooleanField(label=_("Retirer aussi les messages de cette personne."), required=False)
    confirm = forms.BooleanField(label=_("Je confirme l'effacement définitif de ce compte."))
