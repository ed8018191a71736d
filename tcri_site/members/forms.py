import uuid

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tcri_site.mail.services import enqueue_email
from tcri_site.members.models import Organisation, Region, Role, User, Volet


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Adresse courriel"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Adresse courriel ou mot de passe incorrect. Les deux sont sensibles à la "
            "casse et aux espaces."
        ),
        "inactive": _("Ce compte est désactivé. Écrivez à l'équipe de la TCRI."),
    }


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's password reset, its e-mail queued in the outbox instead of sent in the
    request (the page answers the same whether the address is known or not, and as fast)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language() or ""
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else ""
        enqueue_email(key=f"password-reset:{uuid.uuid4()}", to=to_email, subject=subject, body=body,
                      html=html, language=language)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "language", "notification_preference"]
        widgets = {"notification_preference": forms.RadioSelect}


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    password1 = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirmer le mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        elif p1:
            probe = User(
                email=self.email,
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Adresse courriel"))
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    organisation = forms.ModelChoiceField(
        label=_("Organisme"),
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        help_text=_("Laisser vide pour une personne de l'équipe de la TCRI."),
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices, initial=Role.MEMBRE)
    language = forms.ChoiceField(
        label=_("Langue"), choices=[("fr", "Français"), ("en", "English")], initial="fr"
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Nom ou sigle"), required=False, max_length=100)
    region = forms.ChoiceField(
        label=_("Région"), required=False, choices=[("", _("Toutes les régions"))] + Region.choices
    )
    volet = forms.ModelChoiceField(
        label=_("Volet PASI"),
        required=False,
        queryset=Volet.objects.all(),
        empty_label=_("Tous les volets"),
    )
