"""The reader's language: pages not yet translated, links that keep the language, the switch.

French is the source language of every page. A page without an English translation is still
reachable under ``/en/`` (its French content, an English interface and a short notice), so
that an English reader never falls into the French site by following a link:

- ``FallbackLocaleMixin.get_url_parts`` gives a page of another language the address it has
  under the active language (``/en/formations/<slug>/``) instead of its French address;
- ``FallbackLocaleMixin.route`` serves that address: a slug missing from the English tree is
  looked up among the French page's children, and the English translation is served when it
  exists (even under another slug), else the French page;
- ``set_language`` translates the ``next`` address of the language switch, Wagtail pages
  included (the translation of the page, or the same page under the other prefix).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from wagtail.models import Locale, Site

CONTENT_LANGUAGES = {code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES}


def _active_content_language() -> str | None:
    language = translation.get_language()
    return language if language in CONTENT_LANGUAGES else None


class FallbackLocaleMixin:
    """For page models: addresses and routing in the reader's language, translated or not."""

    def get_url_parts(self, request=None):
        parts = super().get_url_parts(request)
        active = _active_content_language()
        if not parts or parts[2] is None or active is None:
            return parts
        possible = self._get_relevant_site_root_paths(request)
        site_id, root_path, root_url, language_code = possible[0]
        if language_code == active:
            return parts
        with translation.override(active):
            page_path = reverse("wagtail_serve", args=(self.url_path[len(root_path):],))
        return (parts[0], parts[1], page_path)

    def route(self, request, path_components):
        try:
            return super().route(request, path_components)
        except Http404:
            if not path_components:
                raise
        child = None
        for other in self.get_translations():
            child = other.get_children().filter(slug=path_components[0]).first()
            if child is not None:
                break
        if child is None:
            raise Http404
        translated = child.get_translation_or_none(self.locale_id)
        if translated is not None and translated.live:
            child = translated
        return child.specific.route(request, path_components[1:])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        page_language = self.locale.language_code
        context["content_language"] = page_language
        context["untranslated"] = page_language != translation.get_language()
        return context


def localized_pages(pages, language: str | None = None, prefetch: tuple[str, ...] = ()) -> list:
    """The pages in the reader's language where a live translation exists (a few queries,
    whatever the number of pages); ``prefetch`` is applied to the translations."""
    pages = list(pages)
    language = language or translation.get_language()
    if not pages or language not in CONTENT_LANGUAGES:
        return pages
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None:
        return pages
    model = type(pages[0])
    translations = {
        page.translation_key: page
        for page in model.objects.live()
        .filter(locale=locale, translation_key__in=[p.translation_key for p in pages])
        .select_related("locale")
        .prefetch_related(*prefetch)
    }
    return [translations.get(page.translation_key, page) for page in pages]


def _translated_page_path(path: str, language: str, request) -> str | None:
    """The address of the Wagtail page at ``path`` in ``language``, or None if not a page."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name not in ("wagtail_serve", "home"):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    page_path = match.kwargs.get("path", match.args[0] if match.args else "")
    components = [c for c in page_path.split("/") if c]
    try:
        page = site.root_page.localized.specific.route(request, components).page
    except Http404:
        return None
    target = Locale.objects.filter(language_code=language).first()
    translated = page.get_translation_or_none(target) if target else None
    if translated is not None and translated.live:
        page = translated
    with translation.override(language):
        return page.get_url(request)


def translate_path(url: str, language: str) -> str:
    """``translate_url`` resolving in the language of the address itself: under English,
    the French patterns (no prefix) would not match, and under French, ``/en/…`` would read
    as a French page path."""
    with translation.override(translation.get_language_from_path(url.partition("?")[0]) or settings.LANGUAGE_CODE):
        return translate_url(url, language)


@require_POST
def set_language(request):
    """Django's ``set_language``, with Wagtail pages led to their translation."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if (
        isinstance(response, HttpResponseRedirect)
        and language in CONTENT_LANGUAGES
        and next_url
        and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()})
    ):
        path, sep, query = next_url.partition("?")
        # Resolve in the language of the address: the French patterns have no prefix and
        # would read /en/… as a French page path.
        with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
            translated = _translated_page_path(path, language, request) or translate_url(path, language)
        response["Location"] = translated + (sep + query if sep else "")
    return response
