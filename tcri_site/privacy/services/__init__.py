"""The privacy services: policy acceptance, export, erasure."""

from tcri_site.privacy.services.erasure import check_may_erase, do_erase_person
from tcri_site.privacy.services.export import build_export
from tcri_site.privacy.services.policy import current_policy, current_version, do_accept_policy

__all__ = ["build_export", "check_may_erase", "current_policy", "current_version", "do_accept_policy", "do_erase_person"]
