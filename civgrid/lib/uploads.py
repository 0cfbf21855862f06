"""Reading an upload without trusting it: refused by the size it declares before a byte is
read, then read in chunks and refused as soon as it passes the cap (a declared size can lie,
and a bytes-like input declares none)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

CHUNK = 64 * 1024


class UploadTooLarge(ValueError):
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        super().__init__(_("larger than %(n)d MB") % {"n": max_bytes // (1024 * 1024)})


def declared_size(upload: Any) -> int | None:
    """What an UploadedFile says it holds (Django counted it while streaming it to disk)."""
    if isinstance(upload, bytes | bytearray | memoryview):
        return len(upload)
    size = getattr(upload, "size", None)
    return size if isinstance(size, int) else None


def _chunks(upload: Any) -> Iterator[bytes]:
    if isinstance(upload, bytes | bytearray | memoryview):
        yield bytes(upload)
    elif hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
    else:
        yield from iter(lambda: upload.read(CHUNK), b"")


def read_upload(upload: Any, *, max_bytes: int) -> bytes:
    """The bytes of `upload` (an UploadedFile, a file object or bytes), at most `max_bytes`."""
    size = declared_size(upload)
    if size is not None and size > max_bytes:
        raise UploadTooLarge(max_bytes)
    data = bytearray()
    for chunk in _chunks(upload):
        data += chunk
        if len(data) > max_bytes:
            raise UploadTooLarge(max_bytes)
    return bytes(data)
