"""The API calls the phone's outbox replays: each may arrive twice or more, never doubling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from civgrid.cases.models import Case
from civgrid.fieldwork.models import Patrol, TrackPoint
from civgrid.testing import photo_upload


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.worker_a.user)
    return client


def test_the_same_report_posted_three_times_creates_one_case(api, world):
    answers = []
    for _attempt in range(3):
        answers.append(
            api.post(
                reverse("api:case-list"),
                {
                    "source": "patrol",
                    "category": world.category.pk,
                    "description": "路口占道经营",
                    "grid": world.grid_a.pk,
                    "photos": [photo_upload()],
                },
                format="multipart",
                HTTP_IDEMPOTENCY_KEY="3f1c7a5e-0000-4000-8000-000000000001",
            )
        )
    assert [a.status_code for a in answers] == [201, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1
    case = Case.objects.get()
    assert case.photos.count() == 1 and case.events.count() == 1


def test_a_report_fixed_on_the_spot_is_closed_in_one_step(api, world):
    response = api.post(
        reverse("api:case-list"),
        {
            "source": "patrol",
            "category": world.category.pk,
            "description": "井盖松动",
            "grid": world.grid_a.pk,
            "fixed_on_spot": "true",
            "fix_note": "已固定",
            "fix_photos": [photo_upload()],
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="k-fixed",
    )
    assert response.status_code == 201, response.json()
    case = Case.objects.get()
    assert (case.status, case.fixed_on_spot) == ("closed", True)


def points(start, *offsets_lon):
    return [
        {
            "recorded_at": (start + dt.timedelta(seconds=30 * i)).isoformat(),
            "longitude": 114.601 + d,
            "latitude": 33.601,
            "accuracy": 8,
        }
        for i, d in enumerate(offsets_lon)
    ]


def test_a_patrol_replayed_twice_has_one_start_and_no_duplicate_points(api, world):
    start = timezone.now() - dt.timedelta(minutes=5)
    key = "patrol-1"
    batch = {"points": points(start, 0, 0.001, 0.002)}
    for _replay in range(2):
        started = api.post(
            reverse("api:patrol-list"),
            {"client_key": key, "started_at": start.isoformat()},
            format="json",
        )
        assert started.status_code in (200, 201)
        added = api.post(reverse("api:patrol-points", args=[key]), batch, format="json")
        assert added.status_code == 200
        ended = api.post(reverse("api:patrol-end", args=[key]), {}, format="json")
        assert ended.status_code == 200
    assert Patrol.objects.count() == 1
    patrol = Patrol.objects.get()
    assert TrackPoint.objects.filter(patrol=patrol).count() == 3
    # Two steps of 0.001° of longitude at 33.601° N: 2 × 92.66 m.
    assert patrol.distance_m == pytest.approx(185.3, abs=0.5)
    assert list(patrol.grids.all()) == [world.grid_a]


def test_a_second_batch_overlapping_the_first_adds_only_the_new_points(api, world):
    start = timezone.now() - dt.timedelta(minutes=5)
    api.post(reverse("api:patrol-list"), {"client_key": "p", "started_at": start.isoformat()})
    first = api.post(
        reverse("api:patrol-points", args=["p"]), {"points": points(start, 0, 0.001)}, format="json"
    )
    second = api.post(
        reverse("api:patrol-points", args=["p"]),
        {"points": points(start, 0, 0.001, 0.002)},
        format="json",
    )
    assert (first.json()["added"], second.json()["added"]) == (2, 1)
    assert second.json()["point_count"] == 3


def test_a_bad_point_refuses_the_whole_batch(api, world):
    start = timezone.now() - dt.timedelta(minutes=5)
    api.post(reverse("api:patrol-list"), {"client_key": "p", "started_at": start.isoformat()})
    batch = points(start, 0, 0.001)
    batch[1]["latitude"] = 123
    response = api.post(reverse("api:patrol-points", args=["p"]), {"points": batch}, format="json")
    assert response.status_code == 400
    assert response.json()["field"] == "points.1"
    assert TrackPoint.objects.count() == 0


def test_points_for_a_patrol_not_yet_started_are_404_so_the_phone_keeps_them(api):
    now = timezone.now()
    response = api.post(
        reverse("api:patrol-points", args=["unknown"]), {"points": points(now, 0)}, format="json"
    )
    assert response.status_code == 404


def test_another_worker_cannot_add_to_my_patrol(api, world):
    start = timezone.now() - dt.timedelta(minutes=5)
    api.post(reverse("api:patrol-list"), {"client_key": "p", "started_at": start.isoformat()})
    other = APIClient()
    other.force_authenticate(world.worker_b.user)
    response = other.post(
        reverse("api:patrol-points", args=["p"]), {"points": points(start, 0)}, format="json"
    )
    assert response.status_code == 404  # their key names no patrol of theirs
    assert TrackPoint.objects.count() == 0


def test_only_grid_workers_start_patrols(world):
    client = APIClient()
    client.force_authenticate(world.clerk.user)
    response = client.post(reverse("api:patrol-list"), {"client_key": "x"}, format="json")
    assert response.status_code == 403
    assert Patrol.objects.count() == 0
