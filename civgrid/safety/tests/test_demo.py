"""The demo campaign (civgrid.safety.demo) on a small demo district with its enterprises."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from civgrid.demo.district import build_district
from civgrid.enterprises import demo as enterprises_demo
from civgrid.safety import demo
from civgrid.safety.figures import figures
from civgrid.safety.models import Campaign


@pytest.fixture
def district(db):
    return build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)


def test_the_demo_campaign_reads_like_the_seed(district):
    end = timezone.now()
    enterprises_demo.populate(district, random.Random(7), end=end, days=90)
    demo.populate(district, random.Random(7), end=end, days=90)
    f = figures(Campaign.objects.get(), timezone.now())
    assert (f.groups, f.enterprises_checked) == (18, 165)
    assert f.hazards > 20 and f.fixed_on_spot > 0
    assert f.rectified == f.hazards - 1 and 90 < f.rate < 100
    assert f.interviews == 1
