"""Who may search, and which principal tokens a person holds.

A document is visible to a person when one of its grants (see ``search.documents``) is among
the person's tokens. Tokens come from the same predicates every app uses
(``tcri_site.members.rules``) plus what each provider adds (spaces the person belongs to…),
so a change of policy in one place changes search too.
"""

import rules

from search import documents as d
from tcri_site.members.rules import (
    is_member,
    is_pasi_member,
    is_tcri_staff,
    is_workspace_user,
)


def principals_for(user) -> frozenset[str]:
    tokens = {d.PUBLIC}
    if getattr(user, "is_authenticated", False):
        tokens |= {d.AUTHENTICATED, d.user(user.pk)}
        if user.is_superuser:
            tokens.add(d.SUPERUSER)
        tokens |= {d.group(pk) for pk in user.groups.values_list("pk", flat=True)}
        if is_workspace_user(user):
            tokens.add(d.WORKSPACE)
        if is_pasi_member(user) or is_tcri_staff(user):
            tokens.add(d.PASI)
        if is_tcri_staff(user):
            tokens.add(d.STAFF)
        if is_member(user):
            tokens.add(d.org(user.active_membership.organisation_id))
        from search.providers import registry

        for provider in registry.providers():
            tokens |= set(provider.principals(user))
    return frozenset(tokens)


# Anyone may search: what they find is limited to what they may see.
rules.add_perm("search.search", rules.always_allow)
rules.add_perm("search.rebuild", is_tcri_staff)
