"""The demo's mock evaluations: two completed rounds (the second better) and a planned one."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from types import SimpleNamespace

from civgrid.cases.models import Case
from civgrid.inspections import demo, scores
from civgrid.inspections.models import Finding, Inspection
from civgrid.inspections.tests.factories import MARKET, ROAD, make_framework
from civgrid.testing import make_site

END = dt.datetime(2026, 6, 1, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def district_of(world):
    return SimpleNamespace(
        inspectors=[world.inspector.user],
        office=world.office.user,
        clerks={world.unit.code: world.clerk.user, world.other_unit.code: world.other_clerk.user},
    )


def test_without_a_current_framework_the_demo_adds_nothing(world):
    demo.populate(district_of(world), random.Random(1), end=END, days=90)
    assert not Inspection.objects.exists()


def test_the_demo_runs_two_rounds_the_second_better_and_plans_a_third(world):
    fw = make_framework(world)
    for i in range(3):
        make_site(world.grid_a, kind=ROAD, longitude=114.601 + i / 1000, latitude=33.605)
        make_site(world.grid_b, kind=MARKET, longitude=114.611 + i / 1000, latitude=33.605)
    demo.populate(district_of(world), random.Random(7), end=END, days=90)
    first, second, third = Inspection.objects.order_by("starts_on")
    assert (first.status, second.status, third.status) == ("completed", "completed", "planned")
    assert first.sampling_seed is not None and first.sample_sizes == {MARKET: 2, ROAD: 2}
    assert first.sites.count() == 4 and third.sites.count() == 4
    one, two = scores.total(scores.checks_of(first)), scores.total(scores.checks_of(second))
    # 8 checks can fail per round: 30 % → 2 failures, 12 % → 1.
    assert (one.failed, two.failed) == (2, 1)
    assert one.achieved_now >= one.achieved_raw
    assert Finding.objects.count() == Case.objects.count() == 3
    assert all(c.created_at < END for c in Case.objects.all())
    assert fw.framework.inspections.count() == 3
