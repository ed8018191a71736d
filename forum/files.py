"""How an attachment is described to people: its kind and its size in words of their language.

Django's ``filesizeformat`` says "1,2 Mio" in French; people here write "1,2 Mo" (and the
form's help text says "5 Mo au plus"), so sizes are worded here, in binary units like the
limits in forum/conf.py.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

IMAGE_TYPES = {"image/png", "image/jpeg"}

# Extension (forum/conf.py ALLOWED_ATTACHMENTS) -> what people call such a file.
TYPE_LABELS = {
    "pdf": _("PDF"),
    "docx": _("Document Word"),
    "xlsx": _("Classeur Excel"),
    "odt": _("Document OpenDocument"),
    "txt": _("Texte brut"),
    "csv": _("Tableau CSV"),
    "png": _("Image PNG"),
    "jpg": _("Image JPEG"),
    "jpeg": _("Image JPEG"),
}


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def type_label(name: str) -> str:
    return str(TYPE_LABELS.get(extension(name), _("Fichier")))


def human_size(size: int) -> str:
    """500 octets, 20 Ko, 1,2 Mo (in the active language, with its decimal separator)."""
    if size < 1024:
        return ngettext("%(size)d octet", "%(size)d octets", size) % {"size": size}
    if size < 1024 * 1024:
        kib = size / 1024
        places = 1 if kib < 10 else 0
        return _("%(size)s Ko") % {"size": number_format(round(kib, places), places)}
    # number_format cuts decimals off: round first (1,2 Mo, not 1,1 Mo, for 1.1999 MiB).
    return _("%(size)s Mo") % {"size": number_format(round(size / (1024 * 1024), 1), 1)}
