"""Forget the cached policy version when a policy page is published or unpublished."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from tcri_site.privacy.models import PrivacyPolicyPage
from tcri_site.privacy.services.policy import forget_current


def _forget(sender, **kwargs):
    forget_current()


for _signal in (page_published, page_unpublished, post_save, post_delete):
    _signal.connect(_forget, sender=PrivacyPolicyPage, dispatch_uid=f"privacy-forget-{id(_signal)}")
