"""The demo enterprise files (civgrid.enterprises.demo), on a small demo district."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from civgrid.demo.district import build_district
from civgrid.enterprises import creditcode, demo
from civgrid.enterprises.models import Enterprise, Kind
from civgrid.enterprises.queries import completeness

END = dt.datetime(2026, 3, 2, 18, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def district(db):
    return build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)


def test_the_demo_has_165_enterprises_of_every_kind_and_all_files_above_size_done(district):
    demo.populate(district, random.Random(7), end=END, days=90)
    assert Enterprise.objects.count() == 165
    assert set(Enterprise.objects.values_list("kind", flat=True)) == set(Kind.values)
    for code in Enterprise.objects.exclude(credit_code="").values_list("credit_code", flat=True):
        assert creditcode.is_valid(code)
    # Every file above size is done (as the seed says), micro files partly.
    rows = {r.kind: r for r in completeness(district.office, END.date())}
    assert rows[Kind.ABOVE_SCALE].done == rows[Kind.ABOVE_SCALE].total == 28
    assert 0 < rows[Kind.MICRO].done < rows[Kind.MICRO].total
