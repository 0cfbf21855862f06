"""Photo intake: accept only real images, bounded in size, with their metadata stripped.

Phone photos carry GPS and device data in EXIF; the pixels are kept (turned upright), the
metadata is not, so a resident's photo cannot leak where they live.

Decoding is where an image costs: a 116 KB PNG of 6300×6300 pixels decodes to 119 MB and seconds
of CPU. So the size an image declares in its header is read first (`probe_photo`, which decodes
nothing) and checked against a per-image cap, and the caller sums the headers of a batch
against a per-request cap before any of them is decoded.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "MPO": "jpg"}
# 6000×4000, the largest photo a phone or a compact camera takes in its default mode.
MAX_PIXELS = 24_000_000

# Pillow's own bomb guard, for any image opened anywhere in the process: it warns above this
# and raises DecompressionBombError above twice this, while reading the header.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


class PhotoError(ValueError):
    pass


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    extension: str
    sha256: str


def probe_photo(stream: IO[bytes], *, max_pixels: int = MAX_PIXELS) -> int:
    """The number of pixels the image in `stream` declares, read from its header without
    decoding; refuses what is not a JPEG, PNG or WebP and what is larger than `max_pixels`."""
    too_large = _("more than %(n)d megapixels") % {"n": max_pixels // 1_000_000}
    try:
        stream.seek(0)
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; the cap below refuses those anyway.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(stream) as probe:
                fmt, (width, height) = probe.format or "", probe.size
    except Image.DecompressionBombError as exc:
        raise PhotoError(too_large) from exc
    except _UNREADABLE as exc:
        raise PhotoError(_("not a readable image")) from exc
    finally:
        stream.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise PhotoError(
            _("format %(format)s not accepted (JPEG, PNG or WebP)") % {"format": fmt or "?"}
        )
    if width * height > max_pixels:
        raise PhotoError(
            _("%(width)d×%(height)d pixels, more than %(n)d megapixels")
            % {"width": width, "height": height, "n": max_pixels // 1_000_000}
        )
    return width * height


def clean_photo(data: bytes, *, max_bytes: int, max_pixels: int = MAX_PIXELS) -> CleanPhoto:
    if len(data) == 0:
        raise PhotoError(_("empty file"))
    if len(data) > max_bytes:
        raise PhotoError(_("larger than %(n)d MB") % {"n": max_bytes // (1024 * 1024)})
    probe_photo(io.BytesIO(data), max_pixels=max_pixels)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format or ""
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
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
    except _UNREADABLE as exc:
        raise PhotoError(_("not a readable image")) from exc
    content = out.getvalue()
    return CleanPhoto(content, ALLOWED_FORMATS[fmt], hashlib.sha256(content).hexdigest())
