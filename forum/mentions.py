"""@-mentions on the page: links for the handles a page's messages name, highlighted when
they name the reader or the reader's organisation, and the suggestions of the composer's
autocomplete. Handles are parsed by ``forum.services.messages`` (``MENTION_RE``): a
person's is the part of their e-mail address before ``@``, an organisation's its acronym.
"""

from __future__ import annotations

import re

from django.db.models import Q
from django.utils.html import escape

from forum.models import Visibility
from forum.services.events import display_name
from forum.services.messages import MENTION_RE, mentioned_handles
from tcri_site.members.models import Membership, Organisation

SUGGESTIONS = 8
MAX_HANDLES = 100  # handles resolved per page, whatever the number of messages
_TAG = re.compile(r"(<[^>]+>)")
_SKIP = {"a", "code", "pre"}


def handle_of(user) -> str:
    return user.email.split("@")[0].lower()


def reader_handles(user) -> set[str]:
    handles = {handle_of(user)}
    organisation = getattr(user, "organisation", None)
    if organisation is not None and organisation.acronym:
        handles.add(organisation.acronym.lower())
    return handles


def resolve_handles(handles) -> dict[str, dict]:
    """handle -> {url, title}: organisations by acronym, then people; two queries."""
    handles = list(dict.fromkeys(h.lower() for h in handles))[:MAX_HANDLES]
    if not handles:
        return {}
    found: dict[str, dict] = {}
    by_acronym = Q(pk__in=[])
    for handle in handles:
        by_acronym |= Q(acronym__iexact=handle)
    for org in Organisation.objects.filter(by_acronym, is_active=True):
        found[org.acronym.lower()] = {"url": org.get_absolute_url(), "title": org.name}
    by_email = Q(pk__in=[])
    for handle in handles:
        if handle not in found:
            by_email |= Q(user__email__istartswith=f"{handle}@")
    memberships = Membership.objects.filter(by_email, is_active=True, user__is_active=True, organisation__is_active=True)
    for membership in memberships.select_related("user", "organisation"):
        handle = handle_of(membership.user)
        if handle in handles:
            found[handle] = {
                "url": membership.organisation.get_absolute_url(),
                "title": f"{display_name(membership.user)} · {membership.organisation.short_name}",
            }
    return found


def link_mentions(html: str, targets: dict[str, dict], mine: set[str]) -> str:
    """Wrap the known @handles of sanitised ``html`` in links (outside links and code)."""
    if "@" not in html:
        return html
    parts, depth = [], 0

    def link(match):
        handle = match.group(1).lower()
        target = targets.get(handle)
        if target is None:
            return match.group(0)
        css = "mention mention-me" if handle in mine else "mention"
        return (
            f'<a class="{css}" href="{escape(target["url"])}" title="{escape(target["title"])}">'
            f"@{escape(match.group(1))}</a>"
        )

    for part in _TAG.split(html):
        if part.startswith("<"):
            name = part.strip("</ >").split()[0].lower() if part.strip("</ >") else ""
            if name in _SKIP:
                depth += -1 if part.startswith("</") else 1
            parts.append(part)
        elif depth <= 0:
            parts.append(MENTION_RE.sub(link, part))
        else:
            parts.append(part)
    return "".join(parts)


def link_page_mentions(messages, user) -> None:
    """Set ``body_linked`` on each message of a page, resolving all handles at once."""
    handles = []
    for message in messages:
        handles.extend(mentioned_handles(message.body))
    targets = resolve_handles(handles)
    mine = reader_handles(user)
    for message in messages:
        message.body_linked = link_mentions(message.body_html, targets, mine) if targets else message.body_html


def suggestions(thread, query: str) -> list[dict]:
    """People and organisations who may read ``thread`` and match ``query`` (≥ 2 characters)."""
    query = (query or "").strip().lstrip("@")
    if len(query) < 2:
        return []
    space = thread.space
    orgs = Organisation.objects.filter(is_active=True).exclude(acronym="")
    if space.visibility == Visibility.LISTED:
        orgs = orgs.filter(pk__in=space.organisations.values("pk"))
    elif space.visibility == Visibility.PASI:
        orgs = orgs.filter(pasi_participant=True)
    found = [
        {"handle": org.acronym, "label": org.name, "kind": "organisation"}
        for org in orgs.filter(Q(acronym__istartswith=query) | Q(name__icontains=query)).order_by("acronym")[:SUGGESTIONS]
    ]
    people = (
        Membership.objects.filter(is_active=True, user__is_active=True, organisation__is_active=True)
        .filter(
            Q(user__email__istartswith=query) | Q(user__first_name__istartswith=query) | Q(user__last_name__istartswith=query)
        )
        .select_related("user", "organisation")
        .order_by("user__last_name", "user__first_name")[: SUGGESTIONS * 3]
    )
    for membership in people:
        if len(found) >= SUGGESTIONS * 2:
            break
        membership.user.__dict__.setdefault("active_membership", membership)
        if membership.user.has_perm("forum.read_thread", thread):
            found.append(
                {
                    "handle": handle_of(membership.user),
                    "label": f"{display_name(membership.user)} · {membership.organisation.short_name}",
                    "kind": "person",
                }
            )
    people_first = [f for f in found if f["kind"] == "person"] + [f for f in found if f["kind"] != "person"]
    return people_first[:SUGGESTIONS]
