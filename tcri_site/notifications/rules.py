import rules

from tcri_site.members.rules import is_workspace_user


@rules.predicate
def is_recipient(user, notification) -> bool:
    return bool(notification and user.is_authenticated and notification.recipient_id == user.pk)


rules.add_perm("notifications.view_own", is_workspace_user)
rules.add_perm("notifications.mark_read", is_recipient)
