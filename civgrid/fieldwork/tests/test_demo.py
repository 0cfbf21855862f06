"""The demo patrols (civgrid.fieldwork.demo), on a small demo district."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from civgrid.demo.district import build_district
from civgrid.fieldwork import demo
from civgrid.fieldwork.models import Patrol
from civgrid.fieldwork.tracks import track_length

END = dt.datetime(2026, 3, 2, 18, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def district(db):
    return build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)


def test_demo_patrols_have_tracks_inside_the_window_and_consistent_lengths(district):
    demo.populate(district, random.Random(3), end=END, days=90)
    patrols = list(Patrol.objects.all())
    assert len(patrols) >= 12
    for patrol in patrols:
        points = list(patrol.points.values_list("longitude", "latitude"))
        assert len(points) == patrol.point_count >= 40
        assert patrol.distance_m == pytest.approx(track_length(points), abs=0.1)
        assert END - dt.timedelta(days=15) < patrol.started_at < patrol.ended_at < END
        assert patrol.grids.exists()
