"""Demo work logs: what the units of the demo district did over the demo window.

Entries have no event history, so they are bulk-inserted (as the demo's standing data is); the
busy units (city management, the street office, communities) log most days, the others now
and then, with figures of the size the seeds' briefings print (hundreds of person-times a
month, tens of machine-times, thousands of m³).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from civgrid.worklogs.models import ActivityKind, WorkLog

K = ActivityKind
# unit code -> (days out of 10 it logs work, the kinds it does, weights)
PROFILES: dict[str, tuple[int, tuple[str, ...], tuple[int, ...]]] = {
    "CGJ": (7, (K.ENVIRONMENT, K.PUBLICITY, K.OTHER), (7, 2, 1)),
    "QYLJD": (6, (K.ENVIRONMENT, K.VOLUNTEER, K.PUBLICITY), (5, 3, 2)),
    "JJDD": (5, (K.TRAFFIC, K.PUBLICITY), (8, 2)),
    "YLZX": (4, (K.ENVIRONMENT, K.OTHER), (8, 2)),
    "SQ-QYL": (4, (K.VOLUNTEER, K.ENVIRONMENT, K.PUBLICITY), (5, 3, 2)),
    "SQ-GH": (4, (K.VOLUNTEER, K.ENVIRONMENT, K.PUBLICITY), (5, 3, 2)),
    "SQ-JTL": (3, (K.VOLUNTEER, K.ENVIRONMENT, K.PUBLICITY), (5, 3, 2)),
    "SQ-BY": (3, (K.VOLUNTEER, K.ENVIRONMENT, K.PUBLICITY), (5, 3, 2)),
    "WGLJ": (2, (K.PUBLICITY, K.VOLUNTEER), (7, 3)),
    "SCJ": (2, (K.ENVIRONMENT, K.OTHER), (6, 4)),
}
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    K.ENVIRONMENT: ("背街小巷集中清理", "清运积存垃圾", "城中村环境整治", "清理乱堆乱放"),
    K.TRAFFIC: ("路口文明劝导", "整治非机动车乱停放", "校园周边交通疏导"),
    K.VOLUNTEER: ("道德文明使者志愿服务", "关爱空巢老人走访", "社区清洁家园志愿活动"),
    K.PUBLICITY: ("张贴公益广告", "文明创建宣传进社区", "更新宣传栏"),
    K.OTHER: ("设施维修", "绿化补植"),
}


def _entry(kind: str, rng: random.Random) -> dict[str, Any]:
    persons = rng.randint(8, 60)
    figures: dict[str, Any] = {"person_times": persons, "activities_held": 1}
    if kind == K.ENVIRONMENT:
        figures["machine_times"] = rng.randint(0, 6)
        figures["volume_removed"] = Decimal(rng.randint(20, 900)) + Decimal(rng.randint(0, 9)) / 10
    elif kind == K.PUBLICITY:
        figures["items_installed"] = rng.randint(10, 120)
    elif kind == K.TRAFFIC:
        figures["items_installed"] = rng.randint(0, 20)
    elif kind == K.OTHER:
        figures["machine_times"] = rng.randint(0, 3)
        figures["items_installed"] = rng.randint(0, 30)
    return figures


def populate(district: Any, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    last = timezone.localdate(end) - dt.timedelta(days=1)
    rows = []
    for code, (per_ten, kinds, weights) in PROFILES.items():
        unit = district.units.get(code)
        clerk = district.clerks.get(code)
        if unit is None or clerk is None:
            continue
        name = clerk.person.name if hasattr(clerk, "person") else clerk.get_username()
        for back in range(days):
            day = last - dt.timedelta(days=back)
            if rng.randrange(10) >= per_ten:
                continue
            kind = rng.choices(kinds, weights)[0]
            entered = dt.datetime.combine(
                day, dt.time(17, rng.randint(0, 59)), tzinfo=timezone.get_default_timezone()
            )
            rows.append(
                WorkLog(
                    unit=unit,
                    worked_on=day,
                    kind=kind,
                    description=rng.choice(DESCRIPTIONS[kind]),
                    entered_by=clerk,
                    entered_by_name=name,
                    entered_at=entered,
                    **_entry(kind, rng),
                )
            )
    WorkLog.objects.bulk_create(rows, batch_size=1000)
