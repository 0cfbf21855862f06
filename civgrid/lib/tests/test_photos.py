import io

import pytest
from PIL import Image

from civgrid.lib.photos import PhotoError, clean_photo
from civgrid.testing import big_png, jpeg_with_exif, png_bytes

MB = 1024 * 1024


def test_a_phone_photo_loses_its_metadata_but_keeps_its_pixels():
    original = jpeg_with_exif()
    assert Image.open(io.BytesIO(original)).getexif()  # the input does carry EXIF
    photo = clean_photo(original, max_bytes=MB)
    cleaned = Image.open(io.BytesIO(photo.content))
    assert not cleaned.getexif()
    assert cleaned.size == (40, 30) and photo.extension == "jpg"
    assert len(photo.sha256) == 64


def test_a_png_stays_a_png():
    assert clean_photo(png_bytes(), max_bytes=MB).extension == "png"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"GIF89a not really", "not a readable image"),
        (b"%PDF-1.4 pretending", "not a readable image"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_the_reason(data, reason):
    with pytest.raises(PhotoError, match=reason):
        clean_photo(data, max_bytes=MB)


def test_a_gif_is_refused_by_format():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "GIF")
    with pytest.raises(PhotoError, match="GIF"):
        clean_photo(out.getvalue(), max_bytes=MB)


def test_an_oversized_file_is_refused_before_decoding():
    with pytest.raises(PhotoError, match="larger than"):
        clean_photo(png_bytes() + b"\0" * (2 * MB), max_bytes=MB)


def test_a_jpeg_comment_does_not_survive():
    out = io.BytesIO()
    Image.new("RGB", (20, 10), "white").save(out, "JPEG", comment=b"home of Zhang, Building 3")
    assert b"home of Zhang" in out.getvalue()
    cleaned = clean_photo(out.getvalue(), max_bytes=MB).content
    assert b"home of Zhang" not in cleaned
    assert "comment" not in Image.open(io.BytesIO(cleaned)).info


def test_a_decompression_bomb_is_refused_from_its_header_with_its_dimensions():
    with pytest.raises(PhotoError, match="6300×6300 pixels, more than 24 megapixels"):
        clean_photo(big_png(6300, 6300), max_bytes=MB)


def test_a_bomb_beyond_pillows_own_guard_gets_the_same_reason():
    with pytest.raises(PhotoError, match="more than 24 megapixels"):
        clean_photo(big_png(8000, 8000), max_bytes=MB)
