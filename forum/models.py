"""Exchange spaces, their threads and messages, and the state that makes them live.

Every change to a thread's visible content appends a ``ThreadEvent`` with a per-thread,
gap-free sequence number (``Thread.last_seq``, incremented under a row lock). Live clients
use it to detect and repair gaps (dropped channel-layer messages, reconnects); see
docs/websocket-protocol.md.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from forum import files
from tcri_site.private_files import private_storage


class Visibility(models.TextChoices):
    ALL_MEMBERS = "members", _("Tous les organismes membres")
    PASI = "pasi", _("Participants au PASI seulement")
    COORDINATORS = "coordinators", _("Coordonnateur·rices et délégué·es seulement")
    LISTED = "listed", _("Organismes désignés")


class Space(models.Model):
    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibilité"), max_length=12, choices=Visibility.choices, default=Visibility.ALL_MEMBERS
    )
    organisations = models.ManyToManyField(
        "members.Organisation",
        blank=True,
        related_name="forum_spaces",
        verbose_name=_("organismes désignés"),
        help_text=_("Seulement pour la visibilité « Organismes désignés »."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="moderated_spaces",
        verbose_name=_("modérateur·rices"),
    )
    volet = models.ForeignKey(
        "members.Volet",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("volet PASI"),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=100)
    is_active = models.BooleanField(_("actif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("espace d'échange")
        verbose_name_plural = _("espaces d'échange")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:space", kwargs={"slug": self.slug})


class Thread(models.Model):
    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="threads", verbose_name=_("espace")
    )
    title = models.CharField(_("titre"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_threads",
        verbose_name=_("auteur·rice"),
    )
    tags = TaggableManager(_("mots-clés"), blank=True)
    is_pinned = models.BooleanField(_("épinglé"), default=False)
    is_locked = models.BooleanField(_("verrouillé"), default=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    last_message_at = models.DateTimeField(_("dernier message"), null=True, blank=True)
    last_message_id = models.BigIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    # Sequence of the last ThreadEvent; incremented under select_for_update.
    last_seq = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-is_pinned", "-last_message_at", "-pk"]
        verbose_name = _("fil de discussion")
        verbose_name_plural = _("fils de discussion")
        indexes = [models.Index(fields=["space", "-is_pinned", "-last_message_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forum:thread", kwargs={"pk": self.pk})

    @property
    def group_name(self) -> str:
        from forum.groups import thread_group

        return thread_group(self.pk)


class Message(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, related_name="messages", verbose_name=_("fil")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="forum_messages",
        verbose_name=_("auteur·rice"),
    )
    body = models.TextField(_("message"))
    body_html = models.TextField(editable=False, blank=True)
    reply_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
        verbose_name=_("en réponse à"),
    )
    client_id = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("publié le"), default=timezone.now)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("masqué le"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("masqué par"),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["thread", "id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=~Q(client_id=""),
                name="forum_message_unique_client_id",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.body[:40]}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    def get_absolute_url(self) -> str:
        return reverse("forum:message", kwargs={"pk": self.pk})


class MessageRevision(models.Model):
    """The body a message had before an edit: the edit history is never lost."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("version antérieure")
        verbose_name_plural = _("versions antérieures")


def attachment_path(instance, filename: str) -> str:
    return f"forum/{instance.message.thread_id}/{instance.message_id}/{os.path.basename(filename)}"


def preview_path(instance, filename: str) -> str:
    """Beside the original, in the same private storage (never under a public URL)."""
    return f"forum/{instance.message.thread_id}/{instance.message_id}/apercus/{os.path.basename(filename)}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255, storage=private_storage)
    name = models.CharField(_("nom du fichier"), max_length=200)
    size = models.PositiveIntegerField(_("taille"))
    content_type = models.CharField(max_length=100)
    # The thumbnail of an image (forum/services/previews.py), made once at upload; empty
    # for other files and for images Pillow could not read (they show as a file card).
    preview = models.FileField(
        _("aperçu"), upload_to=preview_path, max_length=255, storage=private_storage, blank=True
    )
    preview_width = models.PositiveIntegerField(null=True, blank=True)
    preview_height = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forum:attachment", kwargs={"pk": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type in files.IMAGE_TYPES

    @property
    def has_preview(self) -> bool:
        return bool(self.preview) and bool(self.preview_width) and bool(self.preview_height)

    @property
    def preview_url(self) -> str:
        return reverse("forum:attachment_preview", kwargs={"pk": self.pk})

    @property
    def extension(self) -> str:
        return files.extension(self.name)

    @property
    def type_label(self) -> str:
        return files.type_label(self.name)

    @property
    def size_label(self) -> str:
        return files.human_size(self.size)


class ThreadEvent(models.Model):
    """Append-only log of what happened in a thread, replayed to clients that missed it."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="events")
    seq = models.BigIntegerField()
    kind = models.CharField(max_length=30)
    message = models.ForeignKey(Message, null=True, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["thread", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["thread", "seq"], name="forum_event_unique_seq")
        ]


class ReadMarker(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_read_markers"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    last_read_message_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="forum_one_marker_per_thread")
        ]


class Presence(models.Model):
    """One open connection reading a thread; rows older than the heartbeat window are stale."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel_name = models.CharField(max_length=200)
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["thread", "channel_name"], name="forum_presence_unique_channel"
            )
        ]


class ReportStatus(models.TextChoices):
    OPEN = "open", _("À traiter")
    HIDDEN = "hidden", _("Message masqué")
    DISMISSED = "dismissed", _("Rejeté")


class Report(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="reports", verbose_name=_("message")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signalé par"),
    )
    reason = models.TextField(_("motif"))
    status = models.CharField(
        _("statut"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("traité par"),
    )
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.reason[:40]}"


class ReactionKind(models.TextChoices):
    """The fixed set of reactions; codes stored in English, labels read by screen readers."""

    THUMBS_UP = "thumbs_up", _("D'accord")
    CHECK = "check", _("C'est fait")
    HEART = "heart", _("J'aime")
    PARTY = "party", _("Bravo")
    SURPRISED = "surprised", _("Surpris·e")
    THANKS = "thanks", _("Merci")


REACTION_EMOJI = {
    ReactionKind.THUMBS_UP: "👍",
    ReactionKind.CHECK: "✅",
    ReactionKind.HEART: "❤️",
    ReactionKind.PARTY: "🎉",
    ReactionKind.SURPRISED: "😮",
    ReactionKind.THANKS: "🙏",
}


class Reaction(models.Model):
    """One person's reaction to one message: at most one row per (message, person, kind)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_reactions")
    kind = models.CharField(_("réaction"), max_length=12, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("réaction")
        verbose_name_plural = _("réactions")
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "kind"], name="forum_one_reaction_per_kind")
        ]
