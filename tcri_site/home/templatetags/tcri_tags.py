from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name: str, label: str):
    """A navigation item, marked aria-current when the page is inside it."""
    url = reverse(url_name)
    request = context.get("request")
    current = request is not None and request.path.startswith(url) and url not in ("/", "/en/")
    return format_html(
        '<li><a href="{}"{}>{}</a></li>', url, ' aria-current="page"' if current else "", label
    )


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    from tcri_site.notifications.services import unread_count

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return unread_count(request.user)



@register.simple_tag(takes_context=True)
def nav_page_link(context, model_label: str, label: str):
    """A navigation item to the one live page of a type (``"app.Model"``, a string: the
    foundation names a feature's page without importing it), in the reader's language."""
    from django.apps import apps
    from django.utils import translation

    try:
        model = apps.get_model(model_label)
    except LookupError:
        return ""
    pages = model.objects.live().order_by("path")
    page = pages.filter(locale__language_code=translation.get_language()).first() or pages.first()
    url = page.get_url(context.get("request")) if page else None
    if not url:
        return ""
    request = context.get("request")
    current = request is not None and request.path.startswith(url)
    return format_html(
        '<li><a href="{}"{}>{}</a></li>', url, ' aria-current="page"' if current else "", label
    )


@register.simple_tag(takes_context=True)
def app_nav_items(context):
    """The apps' navigation links with their count (``tcri_site.navigation``)."""
    from django.utils.html import format_html_join

    from tcri_site.navigation import nav_items

    request = context.get("request")
    if request is None:
        return ""
    rows = []
    for item in nav_items(request):
        current = ' aria-current="page"' if request.path.startswith(item.url) else ""
        badge = ""
        if item.count is not None:
            badge = format_html(
                ' <span class="badge" data-nav-count="{}">{}</span><span class="visually-hidden"> {}</span>',
                item.key, item.count, item.count_label,
            )
        rows.append((item.url, mark_safe(current), item.label, badge))  # noqa: S308 — a constant or format_html's output
    return format_html_join("", '<li><a href="{}"{}>{}{}</a></li>', rows)
