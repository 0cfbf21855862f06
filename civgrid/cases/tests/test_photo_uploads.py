"""Photo uploads are bounded before they cost: by declared size before reading, by the pixels
their headers declare before decoding, per photo and per batch."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from civgrid.cases.models import Case
from civgrid.cases.photos import PhotoRefused, clean_uploads
from civgrid.cases.tests.api_support import NEW_CASE, api_as
from civgrid.testing import big_png, photo_upload


class Untouchable(SimpleUploadedFile):
    """An upload that declares a size and fails the test if anything reads it."""

    def __init__(self, size: int) -> None:
        super().__init__("huge.jpg", b"", "image/jpeg")
        self.size = size

    def read(self, *args, **kwargs):
        raise AssertionError("the upload was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("the upload was read")

    def seek(self, *args, **kwargs):
        raise AssertionError("the upload was opened")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return big_png(6300, 6300)


def test_a_photo_declaring_more_bytes_than_allowed_is_refused_without_being_read(settings):
    with pytest.raises(PhotoRefused, match="huge.jpg.*larger than 10 MB"):
        clean_uploads([photo_upload(), Untouchable(200 * 1024 * 1024)])


def test_a_photo_whose_declared_size_lies_is_refused_once_it_passes_the_cap(settings):
    settings.CIVGRID_PHOTO_MAX_BYTES = 1024 * 1024
    liar = photo_upload("liar.png", big_png(64, 64) + b"\0" * (2 * 1024 * 1024))
    liar.size = 100
    with pytest.raises(PhotoRefused, match="liar.png.*larger than 1 MB"):
        clean_uploads([liar])


def test_a_6300_pixel_square_png_is_refused_by_its_header(bomb):
    assert len(bomb) < 200 * 1024
    with pytest.raises(PhotoRefused, match="6300×6300 pixels, more than 24 megapixels"):
        clean_uploads([photo_upload("bomb.png", bomb)])


def test_nine_large_photos_are_refused_together_before_any_is_decoded():
    large = big_png(4000, 4000)  # 16 MP: each is allowed on its own
    assert len(clean_uploads([photo_upload("one.png", large)])) == 1
    with pytest.raises(PhotoRefused, match="144 megapixels together, more than 120"):
        clean_uploads([photo_upload(f"{i}.png", large) for i in range(9)])


def test_ordinary_photos_pass_and_are_cleaned():
    photos = clean_uploads([photo_upload("a.png"), photo_upload("b.png", big_png(200, 100))])
    assert [p.extension for p in photos] == ["png", "png"]


def test_the_api_refuses_a_bomb_with_its_json_error_and_records_no_case(world, bomb):
    response = api_as(world.worker_a).post(
        "/api/v1/cases/",
        {**NEW_CASE, "photos": [photo_upload("bomb.png", bomb)]},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid" and body["field"] == "photos"
    assert "megapixels" in body["message"]
    assert not Case.objects.exists()


def test_the_refusal_of_a_bomb_reads_in_chinese(bomb):
    with translation.override("zh-hans"), pytest.raises(PhotoRefused) as refused:
        clean_uploads([photo_upload("bomb.png", bomb)])
    assert "6300×6300 像素，超过 24 百万像素" in str(refused.value)


def test_a_resident_sending_a_bomb_on_the_public_page_is_told_why_and_nothing_is_stored(
    client, world, bomb
):
    from civgrid.public.models import PublicReport
    from civgrid.public.tests.test_report_page import REPORT, form_data

    response = client.post(
        REPORT, form_data(world, photos=[photo_upload("bomb.png", bomb)]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "6300×6300 pixels, more than 24 megapixels" in response.content.decode()
    assert not Case.objects.exists() and not PublicReport.objects.exists()
