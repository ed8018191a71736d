"""``manage.py backup``: one archive of the database and media roots, then retention."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tcri_site.backups import BackupRefusal, make_backup, read_manifest


class Command(BaseCommand):
    help = "Back up the database and the media files (public and private) into BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--dir", dest="directory", help="Directory for the archive (default: BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="How many backups to keep (default: BACKUP_KEEP).")

    def handle(self, *args, directory=None, keep=None, **options):
        try:
            path = make_backup(Path(directory) if directory else None, keep=keep)
            manifest = read_manifest(path)
        except BackupRefusal as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        files = sum(part["files"] for part in manifest["media"].values())
        self.stdout.write(
            self.style.SUCCESS(
                _("Sauvegarde écrite : %(path)s (%(rows)d lignes, %(files)d fichiers, %(size)d octets).")
                % {"path": path, "rows": rows, "files": files, "size": path.stat().st_size}
            )
        )
