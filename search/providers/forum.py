"""Exchange spaces: threads and messages, searchable by the people who may see their space.

A document's grant is its space (``space:<id>``); a person's space tokens come from the
forum's own ``visible_spaces`` (the queryset twin of ``forum.read_space``), so a change of
a space's visibility or membership list applies at once without reindexing anything.
Deleted and hidden messages are never indexed, and leave the index as soon as they are
hidden.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from search import documents as d
from search.documents import SearchDoc
from search.providers import Provider, field_names, model_exists


def _space_facets(space) -> dict:
    facets = {"space": {str(space.pk)}}
    if getattr(space, "volet_id", None):
        facets["volet"] = {str(space.volet_id)}
    return facets


class ForumProvider(Provider):
    def principals(self, user):
        try:
            from forum.rules import visible_spaces
        except ImportError:
            return ()
        return [d.space(pk) for pk in visible_spaces(user).values_list("pk", flat=True)]

    def facet_labels(self, name, values):
        if name != "space":
            return {}
        from django.apps import apps

        Space = apps.get_model("forum", "Space")
        ids = [int(v) for v in values if str(v).isdigit()]
        return {str(pk): title for pk, title in Space.objects.filter(pk__in=ids).values_list("pk", "name")}


class ThreadProvider(ForumProvider):
    model_label = "forum.Thread"
    kind = "thread"
    label = _("Fils de discussion")
    order = 60

    def get_queryset(self):
        return self.model.objects.select_related("space").prefetch_related("tags")

    def documents(self, thread) -> list[SearchDoc]:
        tags = ", ".join(t.name for t in thread.tags.all()) if "tags" in field_names(self.model) else ""
        return [
            SearchDoc(
                kind=self.kind,
                title=thread.title,
                # Shown as the excerpt: the space, then the tags, as a reader would write them.
                body=" · ".join(part for part in (thread.space.name, tags) if part),
                url=thread.get_absolute_url(),
                date=thread.last_message_at or thread.created_at,
                grants={d.space(thread.space_id)},
                facets=_space_facets(thread.space),
            )
        ]


class MessageProvider(ForumProvider):
    model_label = "forum.Message"
    kind = "message"
    label = _("Messages")
    order = 70
    # Messages share their thread's title: suggestions offer the thread. PostgreSQL indexes
    # titles for suggestions only where kind <> 'message' (search migration 0006).
    suggest = False

    # The thread provider already gives the space tokens and labels: ask the forum once.
    def principals(self, user):
        return ()

    def facet_labels(self, name, values):
        return {}

    def get_queryset(self):
        qs = self.model.objects.select_related("thread", "thread__space")
        names = field_names(self.model)
        if "deleted_at" in names:
            qs = qs.filter(deleted_at__isnull=True)
        if "hidden_at" in names:
            qs = qs.filter(hidden_at__isnull=True)
        return qs

    def documents(self, message) -> list[SearchDoc]:
        if getattr(message, "deleted_at", None) or getattr(message, "hidden_at", None):
            return []
        thread = message.thread
        return [
            SearchDoc(
                kind=self.kind,
                title=thread.title,
                body=message.body,
                url=message.get_absolute_url(),
                date=message.created_at,
                grants={d.space(thread.space_id)},
                facets=_space_facets(thread.space),
            )
        ]

    def connect(self, schedule) -> None:
        super().connect(schedule)
        Thread = self.model._meta.get_field("thread").related_model

        def thread_renamed(sender, instance, raw=False, update_fields=None, created=False, **kwargs):
            # Messages carry their thread's title; only a rename needs them again.
            if raw or created or (update_fields is not None and "title" not in update_fields):
                return
            for pk in self.get_queryset().filter(thread=instance).values_list("pk", flat=True):
                schedule(self, pk)

        post_save.connect(thread_renamed, sender=Thread, weak=False, dispatch_uid="search-forum-thread-renamed")


def providers():
    found = []
    if model_exists("forum.Thread") and model_exists("forum.Space"):
        found.append(ThreadProvider())
    if model_exists("forum.Message") and model_exists("forum.Thread"):
        found.append(MessageProvider())
    return found
