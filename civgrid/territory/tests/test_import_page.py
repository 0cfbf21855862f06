import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from civgrid.territory.models import Region

URL = reverse("territory:import_regions")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(features):
    body = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return SimpleUploadedFile("regions.geojson", body, "application/geo+json")


def area(code, parent):
    return {
        "type": "Feature",
        "geometry": None,
        "properties": {"code": code, "name": "第二片区", "level": "area", "parent_code": parent},
    }


def test_the_office_sees_the_upload_form(client, world):
    client.force_login(world.office.user)
    response = client.get(URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


@pytest.mark.parametrize("persona", ["inspector", "leader", "clerk", "worker_a", "resident"])
def test_only_the_office_may_import_regions(client, world, persona):
    client.force_login(getattr(world, persona).user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"file": upload([area("A2", world.street.code)])}).status_code == 403
    assert not Region.objects.filter(code="A2").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_office_imports_a_file_and_sees_the_counts(client, world):
    client.force_login(world.office.user)
    response = client.post(URL, {"file": upload([area("A2", world.street.code)])})
    assert response.status_code == 200
    assert "1 created, 0 updated, 0 unchanged." in response.content.decode()
    assert Region.objects.get(code="A2").parent == world.street


def test_a_bad_file_shows_the_error_table_and_imports_nothing(client, world):
    client.force_login(world.office.user)
    response = client.post(
        URL, {"file": upload([area("A2", world.street.code), area("A3", "NOPE")])}
    )
    page = response.content.decode()
    assert "1 error: nothing was imported." in page
    assert "Unknown parent NOPE: not in this file nor in civgrid." in page
    assert '<td class="num">2</td>' in page and '<td class="code">A3</td>' in page
    assert not Region.objects.filter(code__in=["A2", "A3"]).exists()
