"""Who sees a prepared download: the person who asked for it, and only while the kind's own
permission still lets them have it (a role lost since the request closes the door)."""

import rules


@rules.predicate
def is_requester(user, download) -> bool:
    return download is not None and user.is_authenticated and download.requested_by_id == user.pk


@rules.predicate
def still_allowed(user, download) -> bool:
    from tcri_site.exports.registry import get

    try:
        kind = get(download.kind)
    except KeyError:
        return False
    return kind.allows(user, download.arguments)


rules.add_perm("exports.view_download", is_requester & still_allowed)
