"""Serving case photos: only through views that have checked the reader's scope."""

from __future__ import annotations

import mimetypes

from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from civgrid.cases.models import Case


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
