"""Demo households and visits: a register for every grid, two plans, visits over the window.

Households and visits have no event history, so they are bulk-inserted. Coverage comes out
partial on purpose: most plan households are visited each period, some are missed, and the
current period is under way. No visit raises a case here (the demo's ledger is built by
civgrid.demo.casework); raising one goes through civgrid.visits.actions.log_visit.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, cast

from django.db import connection
from django.db.models import Field
from django.utils import timezone

from civgrid.demo import names
from civgrid.demo.district import District
from civgrid.org.models import Person
from civgrid.visits import plans
from civgrid.visits.models import Household, Visit, VisitPlan

HOUSEHOLDS_PER_GRID = (20, 40)
# Shares of households with each flag, about as a Henan street office registers them.
FLAG_RATES = {"aged_80_plus": 0.08, "living_alone": 0.05, "low_income": 0.03, "disabled": 0.04}
# Chance that a plan household was visited in a period that has ended.
VISITED_IN_PAST_PERIOD = 0.85
NOTES = (
    "老人身体状况良好，生活能自理",
    "了解家庭近况，宣传文明城市创建知识",
    "提醒用电用气安全，检查了烟感报警器",
    "子女不在身边，已留网格员电话",
    "反映楼道灯不亮，已记录",
    "宣传垃圾分类，发放宣传册",
    "询问低保政策，已解释办理流程",
    "",
)


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    start = end - dt.timedelta(days=days)
    registered = start - dt.timedelta(days=60)
    households: list[dict[str, Any]] = []
    for index, grid in enumerate(district.grids):
        streets = district.grid_streets[index]
        for n in range(rng.randint(*HOUSEHOLDS_PER_GRID)):
            flags = {name: rng.random() < rate for name, rate in FLAG_RATES.items()}
            if flags["living_alone"] and not flags["aged_80_plus"] and rng.random() < 0.5:
                flags["aged_80_plus"] = True  # many who live alone are the very old
            households.append(
                {
                    "grid_id": grid.pk,
                    "code": f"{grid.code}-{n + 1:03d}",
                    "address": f"{rng.choice(streets)}{rng.randint(1, 199)}号"
                    f"{rng.randint(1, 6)}单元{rng.randint(1, 7)}0{rng.randint(1, 4)}",
                    "head_name": names.person_name(rng),
                    "phone": names.mobile(rng),
                    "residents_count": 1
                    if flags["living_alone"]
                    else rng.choice((1, 2, 2, 3, 3, 4, 5)),
                    "notes": "",
                    "is_active": True,
                    "created_at": registered,
                    "updated_at": registered,
                    **flags,
                }
            )
    _insert_households(households)
    active_from = timezone.localtime(start).date().replace(day=1)
    elderly = VisitPlan.objects.create(
        name="80岁以上老人季度走访",
        frequency=VisitPlan.Frequency.QUARTERLY,
        aged_80_plus=True,
        active_from=active_from,
    )
    low_income = VisitPlan.objects.create(
        name="低保户每月走访",
        frequency=VisitPlan.Frequency.MONTHLY,
        low_income=True,
        active_from=active_from,
    )
    worker_of = {grid.pk: district.worker_of_grid[i] for i, grid in enumerate(district.grids)}
    visitor_names = dict(
        Person.objects.filter(user__in=district.workers).values_list("user_id", "name")
    )
    visits: list[Visit] = []
    for plan in (elderly, low_income):
        members = list(plans.plan_households(plan).order_by("pk"))
        period = plans.period_containing(plan.frequency, timezone.localtime(end).date())
        while plans.plan_counts_in(plan, period):
            p_start, p_end = period.bounds()
            lo, hi = max(p_start, start), min(p_end, end)
            if hi > lo:
                # The current period is under way: about as many visited as the share elapsed.
                share = (hi - lo) / (p_end - p_start)
                chance = VISITED_IN_PAST_PERIOD if p_end <= end else 0.9 * share
                for household in members:
                    if rng.random() >= chance:
                        continue
                    worker = worker_of[household.grid_id]
                    at = _working_moment(rng, lo, hi)
                    visits.append(
                        Visit(
                            household=household,
                            visited_by=worker,
                            visitor_name=visitor_names.get(worker.pk, worker.get_username()),
                            visited_at=at,
                            notes=rng.choice(NOTES),
                            created_at=at,
                        )
                    )
            period = period.previous()
    Visit.objects.bulk_create(visits, batch_size=1000)


def _insert_households(rows: list[dict[str, Any]]) -> None:
    """Plain INSERTs for ~10,000 rows: bulk_create spends most of its time preparing each
    value one by one, which here are only text, numbers, booleans and one timestamp."""
    if not rows:
        return
    names_ = list(rows[0])
    columns = ", ".join(
        connection.ops.quote_name(cast(str, cast(Field, Household._meta.get_field(n)).column))
        for n in names_
    )
    stamp = {
        "created_at": connection.ops.adapt_datetimefield_value(rows[0]["created_at"]),
        "updated_at": connection.ops.adapt_datetimefield_value(rows[0]["updated_at"]),
    }
    sql = (
        f"INSERT INTO {connection.ops.quote_name(Household._meta.db_table)} ({columns}) "
        f"VALUES ({', '.join(['%s'] * len(names_))})"
    )
    params: list[Any] = [[stamp.get(n, row[n]) for n in names_] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start : start + 2000])


def _working_moment(rng: random.Random, lo: dt.datetime, hi: dt.datetime) -> dt.datetime:
    """A moment between lo and hi, moved into 9:00–18:00 local time when it can be."""
    at = lo + (hi - lo) * rng.random()
    local = timezone.localtime(at)
    moved = local.replace(hour=rng.randint(9, 17), minute=rng.randint(0, 59))
    return moved if lo <= moved < hi else at
