"""Background work: the schedule of periodic jobs (tcri_site.background.registry) and the
worker command that drains the task queue and keeps the schedule ticking."""
