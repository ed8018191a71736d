"""The reference suite borrows the trainings page-tree fixtures."""

from tests.trainings.conftest import site_root, training_index  # noqa: F401
