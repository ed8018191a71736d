import rules

from tcri_site.members.rules import is_tcri_staff

# The project lead's dashboard (and its CSV exports): TCRI staff only. Same predicate as
# members.view_dashboard, which the user menu uses to show the link.
rules.add_perm("dashboard.view", is_tcri_staff)
rules.add_perm("dashboard.export", is_tcri_staff)
