"""The demo volunteers (civgrid.volunteers.demo), on a small demo district."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from civgrid.demo.district import build_district
from civgrid.volunteers import demo, hours
from civgrid.volunteers.models import Activity, HoursCredit, Participation, Team, Volunteer

END = dt.datetime(2026, 3, 2, 18, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def district(db):
    return build_district(random.Random(1), seed=1, n_grids=30, n_areas=3, n_workers=20)


def test_the_demo_has_teams_confirmed_hours_without_overlaps_and_work_for_today(
    district, monkeypatch
):
    monkeypatch.setattr(demo, "N_VOLUNTEERS", 300)
    monkeypatch.setattr(demo, "HISTORY_DAYS", 365)
    demo.populate(district, random.Random(7), end=END, days=90)
    assert Volunteer.objects.filter(status="active").count() == 300
    assert Volunteer.objects.filter(status="pending").count() == demo.N_PENDING
    assert Team.objects.count() == 2 + 2 * 3 and not Team.objects.filter(leader=None).exists()
    women = Team.objects.annotate(n=Count("members")).order_by("-n").first()
    assert "巾帼" in women.name
    assert HoursCredit.objects.count() > 2000
    assert not HoursCredit.objects.filter(credited_at__gt=END).exists()
    # Every credit is what the rules give for its confirmed times, within the activity's cap.
    for credit in HoursCredit.objects.select_related("activity")[:200]:
        assert Decimal(0) < credit.hours <= credit.activity.max_hours
    # One activity a day per volunteer: no credited intervals overlap.
    seen: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    for v, s, e in HoursCredit.objects.values_list("volunteer_id", "start", "end"):
        assert hours.uncovered_seconds((s, e), seen.get(v, [])) == (e - s).total_seconds()
        seen.setdefault(v, []).append((s, e))
    totals = HoursCredit.objects.values("volunteer").annotate(h=Sum("hours"))
    assert max(t["h"] for t in totals) >= 60  # the keenest give much more (a star in two years)
    # Yesterday's activity waits for its organiser; two are coming.
    waiting = Participation.objects.filter(checked_in_at__isnull=False, confirmed_at=None)
    assert waiting.exists()
    assert Activity.objects.filter(starts_at__gt=END).count() == 2
    leader = Team.objects.get(pk=women.pk).leader
    assert leader.user == district.residents[0]
