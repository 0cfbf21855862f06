"""The request body cap: refused by declared length before reading, 413 in each caller's shape,
and uploads streamed to disk rather than held in memory."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from civgrid.cases.models import Case
from civgrid.middleware import BodyTooLarge, RequestSizeLimitMiddleware

HUGE = str(200 * 1024 * 1024)


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_huge(client, path, **extra):
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=HUGE,
        **{"wsgi.input": Unreadable()},
        **extra,
    )


def test_a_page_refuses_a_body_declared_over_the_cap_without_reading_it(client, world):
    client.force_login(world.worker_a.user)
    response = post_huge(client, "/cases/report/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 413
    assert "上传的内容过大" in response.content.decode()
    assert not Case.objects.exists()


def test_the_api_answers_413_in_its_json_error_shape(client, world):
    response = post_huge(client, "/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"] == "too_large" and body["field"] is None
    assert "larger than 100 MB" in body["message"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_open311_answers_413_as_its_error_list(client, world, fmt):
    response = post_huge(client, f"/open311/v2/requests.{fmt}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    if fmt == "json":
        assert response.json()[0]["code"] == 413
    else:
        assert b"<errors><error><code>413</code>" in response.content


def test_a_body_longer_than_its_stated_length_is_cut_off_at_the_cap(settings):
    settings.CIVGRID_MAX_REQUEST_BYTES = 1024
    request = RequestFactory().post("/api/v1/cases/", b"", content_type="application/json")
    request._stream = io.BytesIO(b"x" * 4096)  # a server handing over a body of unknown length
    middleware = RequestSizeLimitMiddleware(lambda r: HttpResponse(r.body))
    with pytest.raises(BodyTooLarge):
        middleware(request)
    assert middleware.process_exception(request, BodyTooLarge()).status_code == 413


def test_an_uploaded_photo_streams_to_a_temporary_file_on_disk():
    photo = SimpleUploadedFile("a.jpg", b"\xff" * (1024 * 1024), "image/jpeg")
    request = RequestFactory().post("/cases/report/", {"photos": photo})
    assert isinstance(request.FILES["photos"], TemporaryUploadedFile)
