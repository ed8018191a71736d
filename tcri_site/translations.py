"""Translated pages through wagtail-localize: keeping the source current, saying what is out of
date, and writing a translation from code (the demo data).

Translators work in wagtail-localize's editor, segment by segment. wagtail-localize keeps a
frozen copy of the French page (its ``TranslationSource``) and only re-reads the page when
someone presses « Synchroniser les pages traduites ». Here the copy follows every publication
of a French page (``sync_source_on_publish``), so a sentence changed in French appears at once
as a segment waiting for its translation, in the editor and in the admin's translations
report, while the English page keeps its published text until the translator publishes again.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.fields import StreamField
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments


def sync_source_on_publish(sender, instance, **kwargs) -> None:
    """``page_published`` receiver: a published page in the source language refreshes the
    source its translations are made from (one query when it has none)."""
    if instance.locale_id != Locale.get_default().pk:
        return
    if TranslationSource.objects.filter(object_id=instance.translation_key, locale_id=instance.locale_id).exists():
        TranslationSource.update_or_create_from_instance(instance)


def is_out_of_date(translation: Translation) -> bool:
    """True when the French page has changed since the translation was last complete: some
    segment of the current source has no translation, or the page was published after the
    source was last read (a page published while the receiver was not connected)."""
    source = translation.source
    total, translated = translation.get_progress()
    if translated < total:
        return True
    page = source.get_source_instance()
    published = getattr(page, "last_published_at", None)
    return bool(published and published > source.last_updated_at)


def out_of_date_translations(locale: Locale | None = None) -> list[Translation]:
    """The enabled translations that wait for a translator (for a report or a reminder)."""
    translations = Translation.objects.filter(enabled=True).select_related("source", "target_locale")
    if locale is not None:
        translations = translations.filter(target_locale=locale)
    return [t for t in translations if is_out_of_date(t)]


def has_translation(page: Page, locale: Locale) -> bool:
    """Whether wagtail-localize already translates ``page`` into ``locale``."""
    return Translation.objects.filter(
        source__object_id=page.translation_key, source__locale_id=page.locale_id, target_locale=locale
    ).exists()


def _string_values(instance) -> list[StringSegmentValue]:
    values = [s for s in extract_segments(instance) if isinstance(s, StringSegmentValue)]
    return sorted(values, key=lambda s: s.order)


@transaction.atomic
def translate_page(page: Page, locale: Locale, values: dict, *, user=None) -> Page:
    """Translate ``page`` into ``locale`` with wagtail-localize, as a translator would, and
    publish it. ``values`` holds the translated fields (``title``, ``slug``, a StreamField as
    a list of ``(block, value)`` of the same shape as the source's...; the slug stays the
    source's unless given): each source segment gets the translated string found at the same
    place. Fields left out keep the source text, and the translation then shows as waiting
    for translations, as it should."""
    page = page.specific
    values = {"slug": page.slug, **values}
    source, _created = TranslationSource.get_or_create_from_instance(page)
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    translated = source.as_instance()
    for name, value in values.items():
        setattr(translated, name, value)
        field = translated._meta.get_field(name)
        if isinstance(field, StreamField):
            field.get_prep_value(getattr(translated, name))  # gives the new blocks their ids
    by_field: dict[str, list[StringSegmentValue]] = {}
    for value in _string_values(translated):
        by_field.setdefault(value.path.split(".")[0], []).append(value)
    segments = list(
        StringSegment.objects.filter(source=source).select_related("string", "context").order_by("order")
    )
    seen: dict[str, int] = {}
    for segment in segments:
        field = segment.context.path.split(".")[0]
        if field not in values:
            continue
        position = seen.get(field, 0)
        seen[field] = position + 1
        candidates = by_field.get(field, [])
        if position >= len(candidates):
            raise ValueError(f"{page}: the translation of {field!r} has fewer segments than the source")
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": candidates[position].string.data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "last_translated_by": user,
                "has_error": False,
            },
        )
    # wagtail-localize publishes on commit; publish now, so that the caller (a seeder inside
    # its transaction, a test) reads the live page.
    translation.save_target(user=user, publish=False)
    target = translation.get_target_instance()
    target.get_latest_revision().publish(user=user, skip_permission_checks=True)
    target.refresh_from_db()
    return target
