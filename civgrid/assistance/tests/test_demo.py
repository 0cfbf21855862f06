"""The demo rolls (civgrid.assistance.demo) on a small demo district: the seed's scale, three
months paid out, the current month drafted with the adjustments of late ends."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db.models import Sum
from django.utils import timezone

from civgrid.assistance import demo
from civgrid.assistance.models import Beneficiary, CheckVisit, PaymentLine, PaymentRun
from civgrid.demo.district import build_district
from civgrid.visits import demo as visits_demo

END = dt.datetime(2026, 3, 2, 18, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def district(db):
    district = build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)
    visits_demo.populate(district, random.Random(7), end=END, days=90)
    return district


def test_the_demo_rolls_have_the_seeds_scale_and_three_months_paid(district):
    demo.populate(district, random.Random(3), end=END, days=90)
    roll = Beneficiary.objects.exclude(status__in=["proposed", "rejected"])
    counts = {c: roll.filter(programme__code=c).count() for c in ("DB", "TK", "GL", "GE")}
    assert counts == {"DB": 569, "TK": 159, "GL": 1594, "GE": 11}
    assert roll.filter(programme__code="DB").aggregate(p=Sum("persons"))["p"] == 1031
    assert Beneficiary.objects.filter(status="proposed").count() == 3  # one per community
    assert Beneficiary.objects.filter(status="end_proposed").count() == 2
    locked = PaymentRun.objects.filter(status=PaymentRun.Status.LOCKED)
    assert locked.count() == 12 and set(locked.values_list("month", flat=True)) == {
        dt.date(2025, 12, 1),
        dt.date(2026, 1, 1),
        dt.date(2026, 2, 1),
    }
    march = PaymentRun.objects.get(programme__code="GL", month=dt.date(2026, 3, 1))
    assert march.status == PaymentRun.Status.DRAFT
    # 8 elderly died on 10 January, approved after February was paid: February comes back.
    taken_back = march.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT, amount__lt=0)
    assert taken_back.values("beneficiary").distinct().count() == 8
    assert set(taken_back.values_list("for_month", flat=True)) == {dt.date(2026, 2, 1)}
    assert (
        CheckVisit.objects.filter(visit__visited_at__lte=END).count()
        == CheckVisit.objects.count()
        > 0
    )
