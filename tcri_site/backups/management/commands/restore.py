"""``manage.py restore <file>``: rebuild a fresh install from one backup."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tcri_site.backups import BackupRefusal, restore_backup


class Command(BaseCommand):
    help = "Restore the database and the media files from one backup into an empty install."
    # The target database may be empty (no tables yet): checks must not query it first.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup archive (tcri-backup-….tar.gz).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that has tables and media folders that have files.",
        )
        parser.add_argument(
            "--resend-queued",
            action="store_true",
            help="Let the e-mails the backup had not sent yet go out (by default they are marked failed, for staff to send again).",
        )

    def handle(self, *args, file, force=False, resend_queued=False, **options):
        try:
            result = restore_backup(file, force=force, resend=resend_queued)
        except BackupRefusal as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Sauvegarde du %(date)s restaurée : %(rows)d lignes, %(files)d fichiers.")
                % {
                    "date": result.manifest["created_at"],
                    "rows": sum(result.counts.values()),
                    "files": sum(result.files.values()),
                }
            )
        )
        if result.held_emails:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d courriels ou lots en attente dans la sauvegarde sont retenus (peut-être déjà envoyés) : renvoyez depuis « Courriels envoyés » ceux qui ne sont pas partis.")
                    % {"count": result.held_emails}
                )
            )
        if result.unknown_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("La sauvegarde vient d'une version plus récente du site (migrations inconnues : %(names)s) : déployez cette version avant d'utiliser le site.")
                    % {"names": ", ".join(result.unknown_migrations[:10])}
                )
            )
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    _("%(count)d migrations de ce code ne sont pas encore appliquées : lancez « manage.py migrate ».")
                    % {"count": len(result.pending_migrations)}
                )
            )
