"""Notifications received and notification settings (privacy export and erasure)."""

from tcri_site.notifications.models import Digest, Notification, NotificationSetting

SECTION = "notifications"


def export(user) -> dict:
    return {
        "received": [
            {"kind": n.kind, "title": n.title, "body": n.body, "url": n.url, "created_at": n.created_at, "read_at": n.read_at}
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "settings": [{"kind": s.kind, "delivery": s.delivery} for s in NotificationSetting.objects.filter(user=user)],
    }


def erase(user, *, remove_messages: bool) -> None:
    Notification.objects.filter(recipient=user).delete()
    Notification.objects.filter(actor=user).update(actor=None)
    NotificationSetting.objects.filter(user=user).delete()
    Digest.objects.filter(recipient=user).delete()
