"""Who keeps the register of confidentiality incidents: the TCRI's staff (the person in
charge of the protection of personal information is one of them) and superusers."""

import rules

from tcri_site.members.rules import is_tcri_staff

is_register_keeper = is_tcri_staff | rules.is_superuser

# Not a model permission's name (tcri_site/checks.py): ModelBackend cannot grant it.
rules.add_perm("privacy_guard.keep_incident_register", is_register_keeper)
