"""The refusals of backups and restores: each says what is wrong and what to do."""

from django.utils.translation import gettext_lazy as _

from tcri_site.errors import Refusal


class BackupRefusal(Refusal):
    code = "backup_refused"
    message = _("La sauvegarde ou la restauration n'a pas pu se faire.")


class BackupNotFound(BackupRefusal):
    code = "backup_not_found"
    status = 404
    message = _("Ce fichier de sauvegarde n'existe pas.")


class BackupCorrupt(BackupRefusal):
    code = "backup_corrupt"
    message = _("Ce fichier n'est pas une sauvegarde lisible du site : il est incomplet, abîmé ou d'un autre format.")


class TargetNotEmpty(BackupRefusal):
    code = "target_not_empty"
    status = 409
    message = _("La base de données ou les dossiers de fichiers ne sont pas vides.")


class VendorMismatch(BackupRefusal):
    code = "vendor_mismatch"
    status = 409
    message = _("Cette sauvegarde vient d'un autre type de base de données.")


class DatabaseToolFailed(BackupRefusal):
    code = "database_tool_failed"
    status = 500
    message = _("L'outil de la base de données a échoué.")
