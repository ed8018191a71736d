"""The "Publier quand même" box of every form whose text is checked for client identifiers."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ConfirmIdentifiersMixin(forms.Form):
    """Hidden until the text looks like it holds a client identifier.

    ``ask_confirmation(warning, field)`` shows the warning on ``field`` (the text is kept:
    the form is bound) and turns the hidden input into a checkbox the person ticks to post
    anyway; ``confirmed`` is what the service receives.
    """

    confirm_identifiers = forms.BooleanField(
        label=_("Publier quand même : je confirme que ces renseignements doivent y figurer"),
        required=False,
        widget=forms.HiddenInput,
    )

    def ask_confirmation(self, warning, field: str = "body") -> None:
        self.fields["confirm_identifiers"].widget = forms.CheckboxInput()
        self.needs_confirmation = True
        self.add_error(field if field in self.fields else None, warning.message)

    @property
    def confirmed(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("confirm_identifiers"))
