"""Who sees the outbox and may send a failed e-mail again: the TCRI staff. Nobody writes
or deletes outbox rows by hand (the admin's listing asks Django's model permissions)."""

import rules

from tcri_site.members.rules import is_tcri_staff

rules.add_perm("mail.view_outboundemail", is_tcri_staff)
rules.add_perm("mail.retry_email", is_tcri_staff)
