"""What the forum gives search (found by ``search.providers.load_providers``): threads and
messages, searchable by the people who may see their space.

A document's grant is its space (``space:<id>``); a person's space tokens come from the
forum's own ``visible_spaces`` (the queryset twin of ``forum.read_space``), so a change of
a space's visibility or membership list applies at once without reindexing anything.
Deleted and hidden messages are never indexed, and leave the index as soon as they are
hidden.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from forum.models import Space
from forum.rules import visible_spaces
from search import documents as d
from search.documents import SearchDoc
from search.providers import Provider


def _space_facets(space) -> dict:
    facets = {"space": {str(space.pk)}}
    if space.volet_id:
        facets["volet"] = {str(space.volet_id)}
    return facets


class ForumProvider(Provider):
    def principals(self, user):
        return [d.space(pk) for pk in visible_spaces(user).values_list("pk", flat=True)]

    def facet_labels(self, name, values):
        if name != "space":
            return {}
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
        tags = ", ".join(t.name for t in thread.tags.all())
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
        return self.model.objects.select_related("thread", "thread__space").filter(
            deleted_at__isnull=True, hidden_at__isnull=True
        )

    def documents(self, message) -> list[SearchDoc]:
        if message.deleted_at or message.hidden_at:
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
    return [ThreadProvider(), MessageProvider()]
