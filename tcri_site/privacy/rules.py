"""Who may see or erase whose personal information."""

import rules

from tcri_site.members.rules import is_tcri_staff

rules.add_perm("privacy.see_own_data", rules.is_authenticated)
rules.add_perm("privacy.handle_personal_data", is_tcri_staff)
