"""Case photos: taking them in (checked, metadata stripped) and serving them only through
views that have checked the reader's scope."""

from __future__ import annotations

import datetime as dt
import mimetypes
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from civgrid.cases.models import Case, CaseEvent, CasePhoto
from civgrid.lib.photos import CleanPhoto, PhotoError, clean_photo

PhotoInput = Any  # an UploadedFile, or anything with .read()


class PhotoRefused(ValueError):
    """A photo (or the batch) cannot be taken; the message is for the user."""


def clean_uploads(photos: Iterable[PhotoInput] | None) -> list[CleanPhoto]:
    """Read and check every photo of one action; the first bad one refuses them all."""
    items = list(photos or [])
    if len(items) > settings.CIVGRID_PHOTO_MAX_COUNT:
        raise PhotoRefused(
            _("At most %(n)d photos at a time.") % {"n": settings.CIVGRID_PHOTO_MAX_COUNT}
        )
    result = []
    for item in items:
        name = getattr(item, "name", "photo")
        data = item.read() if hasattr(item, "read") else bytes(item)
        try:
            result.append(clean_photo(data, max_bytes=settings.CIVGRID_PHOTO_MAX_BYTES))
        except PhotoError as exc:
            raise PhotoRefused(
                _("Photo %(name)s was refused: %(reason)s.") % {"name": name, "reason": exc}
            ) from exc
    return result


def attach_photos(
    case: Case,
    event: CaseEvent,
    kind: str,
    photos: list[CleanPhoto],
    actor: User | None,
    now: dt.datetime,
) -> None:
    """Store checked photos as evidence of one event of the case."""
    for i, photo in enumerate(photos, start=1):
        row = CasePhoto(
            case=case,
            event=event,
            kind=kind,
            sha256=photo.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
        name = f"{kind}-{event.pk}-{i}-{photo.sha256[:8]}.{photo.extension}"
        row.image.save(name, ContentFile(photo.content), save=False)
        row.save()


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
