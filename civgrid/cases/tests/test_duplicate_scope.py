"""A duplicate names its original (code and link) only to a reader who may see the original:
grid A's worker reading a duplicate of a grid B case learns nothing of grid B's case."""

from __future__ import annotations

import pytest

from civgrid.cases import actions
from civgrid.testing import PASSWORD, report


@pytest.fixture
def pair(world):
    original = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    duplicate = report(world)
    actions.mark_duplicate(
        duplicate, actor=world.office.user, expected_version=1, original=original
    )
    return original, duplicate


def test_grid_a_worker_does_not_see_the_out_of_scope_original_of_a_duplicate(client, world, pair):
    original, duplicate = pair
    client.login(username="worker_a", password=PASSWORD)
    page = client.get(f"/cases/{duplicate.pk}/")
    assert page.status_code == 200
    assert original.tracking_code not in page.content.decode()
    assert f"/cases/{original.pk}/" not in page.content.decode()
    api = client.get(f"/api/v1/cases/{duplicate.pk}/")
    assert api.json()["duplicate_of"] is None
    assert original.tracking_code not in api.content.decode()


def test_the_office_sees_the_original_of_a_duplicate(client, world, pair):
    original, duplicate = pair
    client.login(username="office", password=PASSWORD)
    page = client.get(f"/cases/{duplicate.pk}/").content.decode()
    assert original.tracking_code in page and f"/cases/{original.pk}/" in page
    api = client.get(f"/api/v1/cases/{duplicate.pk}/").json()
    assert api["duplicate_of"] == {"id": original.pk, "tracking_code": original.tracking_code}
