"""People, member organisations, their roles, and invitations.

A person belongs to at most one organisation at a time (one active membership). Each
organisation has at most one active délégué·e and one active substitut·e; the database
enforces both with partial unique constraints, so no race in a view can break them.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    """Québec's 17 administrative regions, by their official number."""

    BAS_SAINT_LAURENT = "01", "01 Bas-Saint-Laurent"
    SAGUENAY = "02", "02 Saguenay–Lac-Saint-Jean"
    CAPITALE_NATIONALE = "03", "03 Capitale-Nationale"
    MAURICIE = "04", "04 Mauricie"
    ESTRIE = "05", "05 Estrie"
    MONTREAL = "06", "06 Montréal"
    OUTAOUAIS = "07", "07 Outaouais"
    ABITIBI = "08", "08 Abitibi-Témiscamingue"
    COTE_NORD = "09", "09 Côte-Nord"
    NORD_DU_QUEBEC = "10", "10 Nord-du-Québec"
    GASPESIE = "11", "11 Gaspésie–Îles-de-la-Madeleine"
    CHAUDIERE_APPALACHES = "12", "12 Chaudière-Appalaches"
    LAVAL = "13", "13 Laval"
    LANAUDIERE = "14", "14 Lanaudière"
    LAURENTIDES = "15", "15 Laurentides"
    MONTEREGIE = "16", "16 Montérégie"
    CENTRE_DU_QUEBEC = "17", "17 Centre-du-Québec"


VOLET_LABELS = {
    1: _("Soutien au service Accompagnement Québec"),
    2: _("Soutien à la pleine participation"),
    3: _(
        "Accueil et installation des personnes réfugiées et protégées à titre humanitaire "
        "outre-frontières prises en charge par l'État"
    ),
    4: _("Soutien aux personnes ayant demandé l'asile"),
    5: _("Soutien à l'innovation"),
}


class Volet(models.Model):
    """One of PASI's five funding components. Rows 1–5 are created by a migration."""

    number = models.PositiveSmallIntegerField(primary_key=True, verbose_name=_("numéro"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("volet PASI")
        verbose_name_plural = _("volets PASI")

    def __str__(self) -> str:
        return f"{self.number}. {self.label}"

    @property
    def label(self) -> str:
        return str(VOLET_LABELS.get(self.number, self.number))

    @property
    def short_label(self) -> str:
        return _("Volet %(number)s") % {"number": self.number}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class NotificationPreference(models.TextChoices):
    IMMEDIATE = "immediate", _("Immédiatement par courriel")
    DAILY = "daily", _("Résumé quotidien")
    WEEKLY = "weekly", _("Résumé hebdomadaire")
    IN_APP = "in_app", _("Dans l'espace seulement")


# Erased accounts get ``ancien-membre-<id>@anonyme.invalid`` (RFC 2606: never routable).
ANONYMISED_EMAIL_DOMAIN = "anonyme.invalid"


class User(AbstractUser):
    """A person who uses the workspace. They sign in with their e-mail address."""

    username = None
    email = models.EmailField(_("adresse courriel"), unique=True)
    language = models.CharField(
        _("langue"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    notification_preference = models.CharField(
        _("notifications"),
        max_length=12,
        choices=NotificationPreference.choices,
        default=NotificationPreference.DAILY,
        help_text=_("Comment recevoir les avis qui vous concernent."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("personne")
        verbose_name_plural = _("personnes")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_anonymised(self) -> bool:
        return bool(self.email) and self.email.endswith("@" + ANONYMISED_EMAIL_DOMAIN)

    def get_full_name(self) -> str:
        """An erased account's messages are shown under "Ancien·ne membre"."""
        if self.is_anonymised:
            return str(_("Ancien·ne membre"))
        return super().get_full_name()

    @cached_property
    def active_membership(self) -> Membership | None:
        """The person's current membership, or None. One query, cached per instance."""
        if not self.pk:
            return None
        return (
            Membership.objects.filter(user=self, is_active=True)
            .select_related("organisation")
            .first()
        )

    @property
    def organisation(self) -> Organisation | None:
        membership = self.active_membership
        return membership.organisation if membership else None

    @cached_property
    def staff_roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        names = set(self.groups.filter(name__in=StaffRole.values).values_list("name", flat=True))
        return frozenset(names)


class Organisation(models.Model):
    """A TCRI member organisation (organisme membre)."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    acronym = models.CharField(_("sigle"), max_length=30, blank=True)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    region = models.CharField(_("région administrative"), max_length=2, choices=Region.choices)
    volets = models.ManyToManyField(
        Volet, blank=True, related_name="organisations", verbose_name=_("volets PASI")
    )
    pasi_participant = models.BooleanField(_("participe au PASI"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    contact_name = models.CharField(_("personne-ressource"), max_length=150, blank=True)
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    website = models.URLField(_("site web"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisme membre")
        verbose_name_plural = _("organismes membres")
        indexes = [models.Index(fields=["region"]), models.Index(fields=["pasi_participant"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def get_absolute_url(self) -> str:
        return reverse("members:organisation", kwargs={"slug": self.slug})

    @property
    def short_name(self) -> str:
        return self.acronym or self.name

    def volet_numbers(self) -> str:
        return ", ".join(str(volet.number) for volet in self.volets.all())

    def delegate(self) -> Membership | None:
        return self.memberships.filter(role=Role.DELEGUE, is_active=True).first()

    def substitute(self) -> Membership | None:
        return self.memberships.filter(role=Role.SUBSTITUT, is_active=True).first()


class Role(models.TextChoices):
    """A person's role in their organisation. Stored codes in English, labels in French;
    the member names stay French (``Role.DELEGUE``) because every app uses them."""

    MEMBRE = "member", _("Membre")
    DELEGUE = "delegate", _("Délégué·e")
    SUBSTITUT = "substitute", _("Substitut·e")


class StaffRole(models.TextChoices):
    """TCRI staff roles, held as Django groups so Wagtail's permissions apply."""

    PROJECT_LEAD = "Chargé·e de projet PASI", _("Chargé·e de projet PASI")
    ADMINISTRATOR = "Administrateur·rice", _("Administrateur·rice")


class Membership(models.Model):
    """A person's place in a member organisation, with their role at the forum."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("personne"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisme"),
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.MEMBRE)
    job_title = models.CharField(
        _("fonction"), max_length=120, blank=True, help_text=_("Par exemple : intervenant·e")
    )
    is_coordinator = models.BooleanField(
        _("coordonnateur·rice"),
        default=False,
        help_text=_("Peut inscrire ses collègues aux formations."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        ordering = ["organisation__name", "user__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role=Role.DELEGUE, is_active=True),
                name="one_active_delegate_per_org",
                violation_error_message=_("Cet organisme a déjà un·e délégué·e actif·ve."),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role=Role.SUBSTITUT, is_active=True),
                name="one_active_substitute_per_org",
                violation_error_message=_("Cet organisme a déjà un·e substitut·e actif·ve."),
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(is_active=True),
                name="one_active_membership_per_user",
                violation_error_message=_("Cette personne appartient déjà à un organisme."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organisation.short_name} ({self.get_role_display()})"

    def user_email(self) -> str:
        return self.user.email


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring link that lets a person set their password and join.

    Only a hash of the token is stored, so a database leak gives no usable links.
    """

    email = models.EmailField(_("adresse courriel"))
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisme"),
    )
    role = models.CharField(_("rôle"), max_length=12, choices=Role.choices, default=Role.MEMBRE)
    language = models.CharField(
        _("langue"), max_length=5, choices=settings.LANGUAGES, default="fr"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invité·e par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        if not token or len(token) > 100:
            return None
        return cls.objects.filter(token_hash=_hash_token(token)).first()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


def staff_group(role: StaffRole) -> Group:
    group, _created = Group.objects.get_or_create(name=role.value)
    return group
