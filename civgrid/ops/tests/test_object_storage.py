"""Photos and generated files on S3-compatible object storage, against a real S3 API server
(moto in server mode, on a free port of 127.0.0.1, started for these tests)."""

import socket
import tarfile
from collections.abc import Iterator

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from moto.server import ThreadedMotoServer

from civgrid import testing
from civgrid.cases.models import CasePhoto
from civgrid.ops import backup
from civgrid.settings import s3_storage

BUCKET = "civgrid-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch, tmp_path):
    """A fresh private bucket, and civgrid's storages configured on it as CIVGRID_S3_* do."""
    monkeypatch.setenv("CIVGRID_S3_ENDPOINT_URL", s3_server)
    monkeypatch.setenv("CIVGRID_S3_ACCESS_KEY", "test-key")
    monkeypatch.setenv("CIVGRID_S3_SECRET_KEY", "test-secret")
    monkeypatch.setenv("CIVGRID_S3_REGION", "us-east-1")
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    settings.MEDIA_ROOT = tmp_path / "media"  # must stay empty
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage("media", bucket=BUCKET),
        "generated": s3_storage("generated", bucket=BUCKET),
    }
    yield client
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    for key in keys:
        client.delete_object(Bucket=BUCKET, Key=key)
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", []))


@pytest.mark.django_db
def test_a_reported_photo_is_stored_in_the_bucket_not_on_local_disk(bucket, world, settings):
    case = testing.report(world, photos=[testing.photo_upload()])
    photo = case.photos.get()
    assert keys(bucket) == [f"media/{photo.image.name}"]
    assert not (settings.MEDIA_ROOT).exists()


@pytest.mark.django_db
def test_a_photo_in_the_bucket_is_served_only_through_the_scoped_view(bucket, world, client):
    png = testing.png_bytes("green")
    case = testing.report(world, photos=[testing.photo_upload("p.png", png)])
    photo = case.photos.get()
    url = reverse("cases:photo", args=[case.pk, photo.pk])

    client.force_login(world.worker_a.user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == photo.image.storage.open(photo.image.name).read()

    client.force_login(world.worker_b.user)  # the grid worker of the other grid
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


@pytest.mark.django_db
def test_the_bucket_is_private(bucket, world):
    case = testing.report(world, photos=[testing.photo_upload()])
    key = f"media/{case.photos.get().image.name}"
    acl = bucket.get_object_acl(Bucket=BUCKET, Key=key)
    assert not [
        grant
        for grant in acl["Grants"]
        if grant["Grantee"].get("URI", "").endswith("/global/AllUsers")
    ]


@pytest.mark.django_db
def test_generated_files_go_to_their_own_prefix_of_the_bucket(bucket):
    name = storages["generated"].save("exports/ledger.xlsx", ContentFile(b"PK\x03\x04"))
    assert keys(bucket) == [f"generated/{name}"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_carries_the_photos_of_the_bucket(bucket, world, tmp_path):
    case = testing.report(world, photos=[testing.photo_upload(), testing.photo_upload("b.png")])
    archive = tmp_path / "with-s3.tar"
    made = backup.backup(archive)
    assert made.media_files == CasePhoto.objects.filter(case=case).count() == 2
    with tarfile.open(archive) as tar:
        for photo in CasePhoto.objects.all():
            member = tar.extractfile(f"media/{photo.image.name}")
            assert member is not None
            assert member.read() == photo.image.storage.open(photo.image.name).read()
