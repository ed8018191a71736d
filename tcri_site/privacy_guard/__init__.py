"""Care with clients' information and the retention of personal data (issue 23, items 4-5).

  detect.py     pure functions: text that looks like a client identifier
  guard.py      the refusal that asks for a confirmation, and its translated warning
  models.py     the register of confidentiality incidents, redaction log, inactivity notices
  retention.py  run_retention(): the configured periods, applied (apps add theirs in retention.py)
"""

from tcri_site.privacy_guard.purge import run_retention

__all__ = ["run_retention"]
