"""One backup = one ``.tar.gz``: a manifest, the database copy and both media roots.

Layout of the archive (the manifest first, so it is read without unpacking the rest)::

    manifest.json           format, time, database vendor and versions, Django migration
                            state, rows per model, files and bytes per media root, checksums
    database.sqlite3        (SQLite, online backup API) or database.pgdump (pg_dump -Fc)
    media/...               MEDIA_ROOT (Wagtail images and documents)
    private_media/...       PRIVATE_MEDIA_ROOT (forum attachments, tcri_site/private_files.py)

``make_backup`` is what a schedule calls; ``restore_backup`` rebuilds a fresh install. A
restore reads and checks the whole archive in a temporary directory before it touches the
database or the media roots, so a corrupt file changes nothing.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from tcri_site.backups.database import (
    check_database_empty,
    current_counts,
    dump,
    restore_postgres,
    restore_sqlite,
    vendor,
)
from tcri_site.backups.errors import (
    BackupCorrupt,
    BackupNotFound,
    BackupRefusal,
    TargetNotEmpty,
    VendorMismatch,
)

FORMAT = 1
PREFIX = "tcri-backup-"
SUFFIX = ".tar.gz"
MANIFEST = "manifest.json"
ROOTS = {"media": "MEDIA_ROOT", "private_media": "PRIVATE_MEDIA_ROOT"}


def backup_dir() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", Path(settings.BASE_DIR) / "var" / "backups"))


def backup_keep() -> int:
    from tcri_site.settings.env import parse_int

    return parse_int("BACKUP_KEEP", getattr(settings, "BACKUP_KEEP", 14), minimum=1)


def media_roots() -> dict[str, Path]:
    return {arcname: Path(getattr(settings, name)) for arcname, name in ROOTS.items()}


def _files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backups_in(directory: Path) -> list[Path]:
    """This site's backups in ``directory``, oldest first (the name carries the UTC time)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob(f"{PREFIX}*{SUFFIX}") if p.is_file())


def prune_backups(directory: Path | None = None, keep: int | None = None) -> list[Path]:
    """Delete the oldest backups beyond ``keep`` (default BACKUP_KEEP); returns them."""
    directory = Path(directory or backup_dir())
    keep = backup_keep() if keep is None else keep
    if keep < 1:
        raise BackupRefusal(_("Il faut garder au moins une sauvegarde (BACKUP_KEEP ≥ 1)."))
    existing = backups_in(directory)
    removed = existing[: max(0, len(existing) - keep)]
    for path in removed:
        path.unlink()
    return removed


def make_backup(directory: Path | str | None = None, *, keep: int | None = None, alias: str = "default") -> Path:
    """Back up the database and both media roots into one new archive in ``directory``
    (default BACKUP_DIR), then keep only the ``keep`` newest (default BACKUP_KEEP).

    The archive is written under a temporary name and renamed when complete: a backup
    interrupted half-way never looks like a backup, and is never counted for retention.
    """
    directory = Path(directory or backup_dir())
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = directory / f"{PREFIX}{now:%Y%m%d-%H%M%S-%f}{SUFFIX}"
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix=".tmp-backup-", dir=directory) as tmp:
        db_name, db_info = dump(Path(tmp), alias)
        db_path = Path(tmp) / db_name
        roots = media_roots()
        files = {arcname: _files(root) for arcname, root in roots.items()}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "site": settings.WAGTAIL_SITE_NAME,
            "django": django.get_version(),
            "database": {
                "vendor": vendor(alias),
                "file": db_name,
                "sha256": _sha256(db_path),
                **{k: v for k, v in db_info.items() if k not in ("counts", "migrations")},
            },
            "migrations": db_info["migrations"],
            "counts": db_info["counts"],
            "media": {
                arcname: {"files": len(paths), "bytes": sum(p.stat().st_size for p in paths)}
                for arcname, paths in files.items()
            },
        }
        manifest_path = Path(tmp) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))
        try:
            # The archive holds every person's data and the private attachments: owner only.
            partial.touch(mode=0o600)
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(manifest_path, arcname=MANIFEST)
                tar.add(db_path, arcname=db_name)
                for arcname, paths in files.items():
                    for file_path in paths:
                        tar.add(file_path, arcname=f"{arcname}/{file_path.relative_to(roots[arcname]).as_posix()}")
            partial.rename(path)
        finally:
            partial.unlink(missing_ok=True)
    prune_backups(directory, keep)
    return path


# --- Reading --------------------------------------------------------------------------

_UNREADABLE = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, UnicodeDecodeError, ValueError)


def _check_exists(path: Path) -> None:
    if not path.is_file():
        raise BackupNotFound(_("Le fichier de sauvegarde « %(path)s » n'existe pas.") % {"path": path})


def _corrupt(path: Path, detail: str) -> BackupCorrupt:
    return BackupCorrupt(
        _("« %(path)s » n'est pas une sauvegarde utilisable du site (%(detail)s). Rien n'a été modifié.")
        % {"path": path, "detail": detail}
    )


def read_manifest(path: Path | str) -> dict:
    """The manifest of a backup, checked for its format."""
    path = Path(path)
    _check_exists(path)
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.next()
            if member is None or member.name != MANIFEST or not member.isfile():
                raise _corrupt(path, _("pas de manifeste en tête de l'archive"))
            manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except _UNREADABLE as exc:
        raise _corrupt(path, str(exc) or exc.__class__.__name__) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _corrupt(path, _("format de manifeste inconnu"))
    return manifest


def _extract(path: Path, into: Path) -> dict:
    manifest = read_manifest(path)
    try:
        with tarfile.open(path, "r:gz") as tar:
            # "data": no absolute paths, no "..", no links leaving the directory, no devices.
            tar.extractall(into, filter="data")
    except _UNREADABLE as exc:
        raise _corrupt(path, str(exc) or exc.__class__.__name__) from exc
    db_file = into / str(manifest.get("database", {}).get("file", ""))
    if not db_file.is_file() or db_file.parent != into:
        raise _corrupt(path, _("la copie de la base de données manque"))
    if _sha256(db_file) != manifest["database"].get("sha256"):
        raise _corrupt(path, _("la copie de la base de données ne correspond pas à son empreinte"))
    for arcname, expected in manifest.get("media", {}).items():
        if arcname not in ROOTS or len(_files(into / arcname)) != expected.get("files"):
            raise _corrupt(path, _("des fichiers manquent dans « %(root)s »") % {"root": arcname})
    return manifest


# --- Restoring ------------------------------------------------------------------------

@dataclass
class RestoreResult:
    manifest: dict
    counts: dict[str, int]
    files: dict[str, int]
    pending_migrations: list[str] = field(default_factory=list)
    unknown_migrations: list[str] = field(default_factory=list)
    held_emails: int = 0


def check_media_empty() -> None:
    for arcname, root in media_roots().items():
        if _files(root):
            raise TargetNotEmpty(
                _(
                    "Le dossier « %(root)s » (%(setting)s) contient déjà des fichiers : restaurez dans "
                    "des dossiers vides ou ajoutez --force pour les remplacer."
                )
                % {"root": root, "setting": ROOTS[arcname]}
            )


def _empty_directory(root: Path) -> None:
    if not root.is_dir():
        return
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


def _migration_differences(manifest: dict, alias: str) -> tuple[list[str], list[str]]:
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    saved = {f"{app}.{name}" for app, names in manifest.get("migrations", {}).items() for name in names}
    ours = {app for app, _name in loader.disk_migrations}
    pending = sorted(known - saved)
    unknown = sorted(m for m in saved - known if m.split(".", 1)[0] in ours)
    return pending, unknown


def restore_backup(path: Path | str, *, force: bool = False, alias: str = "default", resend: bool = False) -> RestoreResult:
    """Rebuild this install's database and media roots from one backup.

    Refused (nothing changed) when the file is missing or unreadable, when it comes from
    another database vendor, or, unless ``force``, when the database has tables or a media
    root has files. With ``force`` the database and both roots are replaced whole.
    Afterwards the rows per model are compared with the manifest, and the e-mails the
    backup had not sent yet are held (marked failed for staff to send again, unless
    ``resend``): they most likely left after the backup was taken.
    """
    path = Path(path)
    manifest = read_manifest(path)
    saved_vendor = manifest["database"].get("vendor")
    if saved_vendor != vendor(alias):
        raise VendorMismatch(
            _("Cette sauvegarde est une base %(saved)s ; ce site utilise %(current)s. Restaurez-la sur une installation %(saved)s.")
            % {"saved": saved_vendor, "current": vendor(alias)}
        )
    roots = media_roots()
    with tempfile.TemporaryDirectory(prefix="tcri-restore-") as tmp:
        tmp = Path(tmp)
        # The whole archive is read and checked before anything of the target is looked at
        # or changed.
        manifest = _extract(path, tmp)
        if not force:
            check_database_empty(alias)
            check_media_empty()
        db_file = tmp / manifest["database"]["file"]
        if saved_vendor == "sqlite":
            restore_sqlite(db_file, alias)
        else:
            restore_postgres(db_file, force=force, alias=alias)
        for arcname, root in roots.items():
            if force:
                _empty_directory(root)
            root.mkdir(parents=True, exist_ok=True)
            source = tmp / arcname
            if source.is_dir():
                shutil.copytree(source, root, dirs_exist_ok=True)
    counts = current_counts(alias)
    differing = sorted(
        label for label, number in manifest["counts"].items() if counts.get(label) != number
    )
    if differing:
        raise BackupRefusal(
            _("La base restaurée ne contient pas les lignes de la sauvegarde pour : %(models)s.")
            % {"models": ", ".join(differing[:10])},
            code="restore_incomplete",
            status=500,
        )
    pending, unknown = _migration_differences(manifest, alias)
    held = 0
    if not resend and not unknown:  # a newer schema: the outbox may not be ours to change
        from tcri_site.mail.services import hold_after_restore

        held = hold_after_restore()
    return RestoreResult(
        manifest=manifest,
        counts=counts,
        files={arcname: len(_files(root)) for arcname, root in roots.items()},
        pending_migrations=pending,
        unknown_migrations=unknown,
        held_emails=held,
    )
