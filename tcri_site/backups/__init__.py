"""Backups that restore: the database and both media roots in one archive (archive.py).

``make_backup(directory=None) -> Path`` is the one function a schedule calls (it also
applies the retention count BACKUP_KEEP); ``restore_backup(path, force=False)`` rebuilds a
fresh install. The commands ``manage.py backup`` and ``manage.py restore`` wrap them.
docs/deployment.md says how to schedule, where backups go and what they leave out.
"""

from tcri_site.backups.archive import (
    RestoreResult,
    backups_in,
    make_backup,
    prune_backups,
    read_manifest,
    restore_backup,
)
from tcri_site.backups.errors import (
    BackupCorrupt,
    BackupNotFound,
    BackupRefusal,
    TargetNotEmpty,
    VendorMismatch,
)

__all__ = [
    "BackupCorrupt",
    "BackupNotFound",
    "BackupRefusal",
    "RestoreResult",
    "TargetNotEmpty",
    "VendorMismatch",
    "backups_in",
    "make_backup",
    "prune_backups",
    "read_manifest",
    "restore_backup",
]
