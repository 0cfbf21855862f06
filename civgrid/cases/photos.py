"""Case photos: taking them in (checked, metadata stripped) and serving them only through
views that have checked the reader's scope."""

from __future__ import annotations

import datetime as dt
import io
import mimetypes
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models import FileField
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from civgrid.cases.models import Case, CaseEvent, CasePhoto
from civgrid.lib.photos import CleanPhoto, PhotoError, clean_photo, probe_photo
from civgrid.lib.uploads import UploadTooLarge, declared_size, read_upload

PhotoInput = Any  # an UploadedFile, a file object (read, seek) or bytes


class PhotoRefused(ValueError):
    """A photo (or the batch) cannot be taken; the message is for the user."""


def clean_uploads(photos: Iterable[PhotoInput] | None) -> list[CleanPhoto]:
    """Check and clean every photo of one action; the first bad one refuses them all.

    Nothing is decoded before every photo has passed what costs nothing to check: its declared
    size (before a byte is read), its header's pixel count, and the batch's total pixel count.
    """
    items = list(photos or [])
    if len(items) > settings.CIVGRID_PHOTO_MAX_COUNT:
        raise PhotoRefused(
            _("At most %(n)d photos at a time.") % {"n": settings.CIVGRID_PHOTO_MAX_COUNT}
        )
    max_bytes = settings.CIVGRID_PHOTO_MAX_BYTES
    max_pixels = settings.CIVGRID_PHOTO_MAX_PIXELS
    pixels = 0
    for item in items:
        with _refusing(item):
            size = declared_size(item)
            if size is not None and size > max_bytes:
                raise UploadTooLarge(max_bytes)
            if size != 0:
                pixels += probe_photo(_stream(item), max_pixels=max_pixels)
    batch_cap = settings.CIVGRID_PHOTO_MAX_BATCH_PIXELS
    if pixels > batch_cap:
        raise PhotoRefused(
            _(
                "These photos hold %(total)d megapixels together, more than %(n)d at a time:"
                " send fewer or smaller photos."
            )
            % {"total": pixels // 1_000_000, "n": batch_cap // 1_000_000}
        )
    result = []
    for item in items:
        with _refusing(item):
            data = read_upload(item, max_bytes=max_bytes)
            result.append(clean_photo(data, max_bytes=max_bytes, max_pixels=max_pixels))
    return result


def _stream(item: PhotoInput) -> IO[bytes]:
    if isinstance(item, bytes | bytearray | memoryview):
        return io.BytesIO(item)
    return cast(IO[bytes], item)


@contextmanager
def _refusing(item: PhotoInput) -> Iterator[None]:
    """Turn what is wrong with one photo into the refusal of the batch, naming the photo."""
    try:
        yield
    except (PhotoError, UploadTooLarge) as exc:
        name = getattr(item, "name", None) or "photo"
        raise PhotoRefused(
            _("Photo %(name)s was refused: %(reason)s.") % {"name": name, "reason": exc}
        ) from exc


def attach_photos(
    case: Case,
    event: CaseEvent,
    kind: str,
    photos: list[CleanPhoto],
    actor: User | None,
    now: dt.datetime,
) -> None:
    """Store checked photos as evidence of one event of the case.

    Each file is written under a new random name and flushed to disk before its row is
    inserted, in the action's transaction: if the transaction rolls back or the process is
    killed, what is left is a file that no row names (and no later row can name, the name being
    random), which `civgrid sweep-media` removes; a committed row always has its file.
    """
    for photo in photos:
        row = CasePhoto(
            case=case,
            event=event,
            kind=kind,
            sha256=photo.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
        row.image.save(
            f"{kind}-{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
        )
        _flush(row.image.storage, str(row.image.name))
        row.save()


def _flush(storage: Storage, name: str) -> None:
    """Make a written file durable before the row naming it can commit (a power cut must not
    leave a committed row whose file was still in the page cache)."""
    try:
        path = storage.path(name)
    except NotImplementedError:  # remote storages: durable once the upload returned
        return
    for target in (path, os.path.dirname(path)):  # the file, then its entry in the folder
        fd = os.open(target, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def named_files() -> set[str]:
    """Every file name a row of any model with a file field holds."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, FileField):
                rows = model._default_manager.exclude(**{field.name: ""})
                names.update(rows.values_list(field.name, flat=True).iterator())
    return names


def sweep_media(*, now: dt.datetime, min_age: dt.timedelta, dry_run: bool) -> list[str]:
    """Remove the files under MEDIA_ROOT that no row names and that are older than `min_age`
    (a younger one may belong to a transaction still open); the names removed, sorted.

    MEDIA_ROOT holds uploaded files only (exports live under VAR_DIR/exports).
    """
    root = Path(settings.MEDIA_ROOT)
    cutoff = (now - min_age).timestamp()
    named = named_files()
    orphans = []
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and name not in named and path.stat().st_mtime < cutoff:
            orphans.append(name)
            if not dry_run:
                path.unlink(missing_ok=True)
    return orphans


def photo_response(case: Case, photo_pk: int) -> FileResponse:
    """The file of one photo of a case the caller has already been allowed to see."""
    item = case.photos.filter(pk=photo_pk).first()
    if item is None:
        raise Http404("No such photo")
    content_type = mimetypes.guess_type(item.image.name or "")[0] or "application/octet-stream"
    try:
        handle = item.image.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (a restore without media)
        raise Http404("Photo file missing") from exc
    response = FileResponse(handle, content_type=content_type)
    patch_cache_control(response, private=True, max_age=3600)
    return response
