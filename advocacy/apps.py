from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Forum TCRI-PASI")

    def ready(self):
        from tcri_site.notifications.services import unsubscribed

        unsubscribed.connect(_drop_update_subscription, dispatch_uid="advocacy.drop_update_subscription")


def _drop_update_subscription(sender, user, kind, **kwargs):
    """The one-click link in an update e-mail (or "stop every e-mail") ends the subscription."""
    from advocacy.models import UpdateSubscription
    from tcri_site.notifications.models import Kind

    if kind in (None, Kind.UPDATE):
        UpdateSubscription.objects.filter(user=user).delete()
