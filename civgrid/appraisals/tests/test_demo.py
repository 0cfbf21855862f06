"""The demo star ratings (civgrid.appraisals.demo), on a small demo district."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from civgrid.appraisals import demo
from civgrid.appraisals.models import Cycle, Enrolment, PartyBranch
from civgrid.appraisals.queries import counts_by_kind
from civgrid.demo.district import build_district
from civgrid.notices.defaults import restore_default_rules

END = dt.datetime(2026, 12, 1, 18, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def district(db):
    restore_default_rules()
    return build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)


def test_the_demo_has_the_41_branches_a_finished_year_and_one_under_way(district):
    demo.populate(district, random.Random(7), end=END, days=90)
    assert [n for _k, _l, n in counts_by_kind(PartyBranch.objects.all())] == [17, 3, 18, 3]
    last, this = Cycle.objects.order_by("year")
    assert (last.year, last.status, this.year, this.status) == (2025, "fixed", 2026, "open")
    assert "new" in set(last.enrolments.values_list("movement", flat=True)) <= {"new", ""}
    assert last.enrolments.filter(rank=5).exists() and last.enrolments.filter(rank__lt=5).exists()
    statuses = set(this.enrolments.values_list("status", "level"))
    assert {("filling", 1), ("review", 2), ("review", 3), ("accepted", 3)} <= statuses
    assert this.enrolments.filter(events__kind="sent_back").exists()
    assert Enrolment.objects.filter(cycle=this, status="filling", scores__isnull=True).exists()
