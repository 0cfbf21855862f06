"""Photo intake: accept only real images, bounded in size, with their metadata stripped.

Phone photos carry GPS and device data in EXIF; the pixels are kept (turned upright), the
metadata is not, so a resident's photo cannot leak where they live.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "MPO": "jpg"}
MAX_PIXELS = 40_000_000


class PhotoError(ValueError):
    pass


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    extension: str
    sha256: str


def clean_photo(data: bytes, *, max_bytes: int) -> CleanPhoto:
    if len(data) == 0:
        raise PhotoError(_("empty file"))
    if len(data) > max_bytes:
        raise PhotoError(_("larger than %(n)d MB") % {"n": max_bytes // (1024 * 1024)})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            probe.verify()
        if fmt not in ALLOWED_FORMATS:
            raise PhotoError(
                _("format %(format)s not accepted (JPEG, PNG or WebP)") % {"format": fmt or "?"}
            )
        with Image.open(io.BytesIO(data)) as img:
            if img.width * img.height > MAX_PIXELS:
                raise PhotoError(_("image dimensions too large"))
            upright = ImageOps.exif_transpose(img)
            # Pillow writes back what `info` carries (a JPEG comment, XMP, DPI...): keep only
            # the colour profile, which changes how the pixels look, and nothing that talks.
            icc = upright.info.get("icc_profile")
            upright.info = {}
            extra = {"icc_profile": icc} if icc else {}
            out = io.BytesIO()
            if fmt in ("JPEG", "MPO"):
                upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True, **extra)
            else:
                upright.save(out, fmt, **extra)
    except PhotoError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise PhotoError(_("not a readable image")) from exc
    content = out.getvalue()
    return CleanPhoto(content, ALLOWED_FORMATS[fmt], hashlib.sha256(content).hexdigest())
