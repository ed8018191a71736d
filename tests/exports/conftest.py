"""Prepared downloads run on the real database queue with a real worker (tests/mail)."""

from tests.mail.conftest import database_queue  # noqa: F401  (fixtures)
from tests.trainings.conftest import asylum_status, site_root, training, training_index  # noqa: F401
