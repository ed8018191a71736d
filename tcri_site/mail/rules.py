"""Who sees the outbox and may send a failed e-mail again: the TCRI staff. Nobody writes
or deletes outbox rows by hand (tcri_site.mail.wagtail_hooks.OutboxPermissionPolicy)."""

import rules

from tcri_site.members.rules import is_tcri_staff

rules.add_perm("mail.view_outbox", is_tcri_staff)
rules.add_perm("mail.retry_email", is_tcri_staff)
