"""The demo households, plans and visits (civgrid.visits.demo), on a small demo district."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from civgrid.demo.district import build_district
from civgrid.visits import demo, plans
from civgrid.visits.models import Household, Visit, VisitPlan

END = dt.datetime(2026, 3, 2, 18, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def district(db):
    return build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)


def test_every_grid_has_20_to_40_households_and_coverage_is_partial(district):
    demo.populate(district, random.Random(7), end=END, days=90)
    per_grid = [Household.objects.filter(grid=g).count() for g in district.grids]
    assert min(per_grid) >= 20 and max(per_grid) <= 40
    total = sum(per_grid)
    aged = Household.objects.filter(aged_80_plus=True).count()
    assert 0.05 * total < aged < 0.16 * total
    elderly = VisitPlan.objects.get(frequency="quarterly")
    today = END.date()
    current = plans.period_status(elderly, plans.period_containing("quarterly", today))
    assert 0 < current.done < current.total  # the quarter is under way
    assert plans.missed(elderly, today)  # some were missed last quarter
    assert Visit.objects.filter(visited_at__gt=END).count() == 0
    # Every visit is by the grid worker of the household's grid.
    grid_worker = {g.pk: district.worker_of_grid[i].pk for i, g in enumerate(district.grids)}
    assert all(
        grid_worker[grid] == user
        for grid, user in Visit.objects.values_list("household__grid_id", "visited_by_id")
    )


def test_the_demo_is_the_same_for_the_same_seed(district):
    demo.populate(district, random.Random(7), end=END, days=90)
    first = list(Household.objects.order_by("code").values_list("code", "address", "aged_80_plus"))
    Visit.objects.all().delete()
    Household.objects.all().delete()
    VisitPlan.objects.all().delete()
    demo.populate(district, random.Random(7), end=END, days=90)
    again = list(Household.objects.order_by("code").values_list("code", "address", "aged_80_plus"))
    assert first == again
