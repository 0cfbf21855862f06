"""Photos are evidence about residents: served only to those who may see the case."""

from civgrid.cases.models import CasePhoto
from civgrid.cases.tests.api_support import NEW_CASE, api_as
from civgrid.testing import photo_upload


def test_a_photo_is_served_by_token_to_those_in_scope_and_404_to_others(world):
    client = api_as(world.worker_a)
    body = client.post(
        "/api/v1/cases/", {**NEW_CASE, "photos": [photo_upload("a.png")]}, format="multipart"
    ).json()
    url = body["photos"][0]["url"].removeprefix("http://testserver")

    mine = client.get(url)
    assert mine.status_code == 200 and mine["Content-Type"] == "image/png"
    assert b"".join(mine.streaming_content).startswith(b"\x89PNG")
    assert "private" in mine["Cache-Control"]
    assert api_as(world.worker_b).get(url).status_code == 404
    assert api_as(None).get(url).status_code == 401


def test_uploaded_files_are_not_public_under_media(client, world):
    body = (
        api_as(world.worker_a)
        .post("/api/v1/cases/", {**NEW_CASE, "photos": [photo_upload("a.png")]}, format="multipart")
        .json()
    )
    path = CasePhoto.objects.get(pk=body["photos"][0]["id"]).image.name
    assert client.get(f"/media/{path}").status_code == 404
