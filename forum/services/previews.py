"""Thumbnails of attached images, made on the server with Pillow once, at upload.

The thumbnail is a private file beside the original (``Attachment.preview``), sent only by
the permission-checked view (``forum:attachment_preview``). It is decoded and encoded
before the message's transaction opens, so the thread's row lock never waits for Pillow.
Re-encoding drops the original's metadata (EXIF: camera, place) and applies its
orientation. A file Pillow cannot read, or one too large to decode safely, gets no
thumbnail: it shows as a file card, and posting it still works.
"""

from __future__ import annotations

import io
import logging
import os
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from forum import files

logger = logging.getLogger(__name__)

MAX_WIDTH = 480
MAX_HEIGHT = 960
# Far below Pillow's own decompression-bomb limit: a 5 Mo file may still claim huge sizes.
MAX_SOURCE_PIXELS = 40_000_000
FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}


@dataclass(frozen=True)
class Preview:
    data: bytes
    width: int
    height: int
    extension: str


def render_preview(source) -> Preview | None:
    """The thumbnail of an image file object (at most MAX_WIDTH wide), or None when it is not
    a PNG or JPEG Pillow can decode. The file is left at its start."""
    try:
        source.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                if image.format not in FORMATS or image.width * image.height > MAX_SOURCE_PIXELS:
                    return None
                kind = image.format
                image.draft("RGB", (MAX_WIDTH, MAX_HEIGHT))  # JPEG: decode at a smaller scale
                image = ImageOps.exif_transpose(image)
                image.thumbnail((MAX_WIDTH, MAX_HEIGHT), Image.Resampling.LANCZOS)
                if kind == "JPEG" and image.mode != "RGB":
                    image = image.convert("RGB")
                elif kind == "PNG" and image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                out = io.BytesIO()
                image.save(out, format=kind, **({"quality": 85, "optimize": True} if kind == "JPEG" else {"optimize": True}))
                width, height = image.size
    except (OSError, SyntaxError, ValueError, EOFError, UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning):
        logger.info("No thumbnail for an undecodable image", exc_info=True)
        return None
    finally:
        try:
            source.seek(0)
        except (OSError, ValueError):
            pass
    return Preview(out.getvalue(), width, height, FORMATS[kind][0])


def previews_for(uploads) -> list[Preview | None]:
    """One entry per upload: a thumbnail for images, None for other files."""
    return [
        render_preview(upload) if files.extension(upload.name or "") in ("png", "jpg", "jpeg") else None
        for upload in uploads
    ]


def store_preview(attachment, preview: Preview | None) -> None:
    """Save the thumbnail beside the attachment (which must be saved already)."""
    if preview is None:
        return
    stem = os.path.splitext(os.path.basename(attachment.file.name))[0]
    attachment.preview.save(f"{stem}-{MAX_WIDTH}.{preview.extension}", ContentFile(preview.data), save=False)
    attachment.preview_width, attachment.preview_height = preview.width, preview.height
    attachment.save(update_fields=["preview", "preview_width", "preview_height"])


def do_make_missing_previews(attachments) -> int:
    """Thumbnails for images stored before thumbnails existed (or that failed); returns how
    many were made. Used by ``manage.py forum_previews``."""
    made = 0
    for attachment in attachments:
        if not attachment.is_image or attachment.has_preview:
            continue
        try:
            with attachment.file.open("rb") as source:
                preview = render_preview(source)
        except OSError:
            logger.warning("Attachment %s: file missing", attachment.pk)
            continue
        if preview is not None:
            store_preview(attachment, preview)
            made += 1
    return made
