from django import template
from django.urls import reverse
from django.utils.html import format_html

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

