"""Building the demo district (演示数据) into an empty database."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.db import transaction
from django.utils import timezone

from civgrid.demo.casework import simulate
from civgrid.demo.district import District, build_district
from civgrid.demo.second import build_second_district
from civgrid.lib import codes
from civgrid.territory.models import Region


class DemoError(RuntimeError):
    pass


# The demo parts most tests need: the ledger's neighbours, quick to build. The volunteers'
# two years of activities, the assistance rolls, the appraisal cycles and the safety campaign
# take minutes together; their own tests build their parts.
CORE_PARTS = ("standards", "inspections", "visits", "fieldwork", "worklogs", "notices")


@dataclass(frozen=True)
class DemoSummary:
    district: District
    actions: Counter[str]
    end: dt.datetime


def window_end(today: dt.date | None = None) -> dt.datetime:
    """The demo's "now": the start of today, local time. Days, not the clock, so two builds on
    the same day with the same seed are identical."""
    day = today or timezone.localdate()
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def build_demo(
    *,
    seed: int = 2026,
    n_cases: int = 3000,
    today: dt.date | None = None,
    days: int = 90,
    parts: Collection[str] | None = None,
) -> DemoSummary:
    """The 七一路街道 demo: territory and people in bulk, then `n_cases` cases over the `days`
    before `today`, each step taken by the real case actions at its moment; 川汇区 lies under
    the city of 周口市, beside a second, smaller district (淮阳区, civgrid.demo.second).

    Deterministic for a seed and a day: tracking codes are drawn from a seeded source too.
    `parts` names the apps (labels) whose demo parts are built; all of them when None (tests
    that need only the ledger leave out the slow ones: the volunteers' two years, the rolls).
    """
    if Region.objects.exists():
        raise DemoError("the database already has regions; the demo needs an empty one")
    rng = random.Random(seed)
    codes.seed(seed)
    try:
        with transaction.atomic():
            district = build_district(rng, seed=seed)
            done = simulate(district, rng, n_cases=n_cases, end=window_end(today), days=days)
            populate_apps(district, seed=seed, end=window_end(today), days=days, parts=parts)
            # The second, smaller district beside it under the city (一市多区); its own
            # random source, so 川汇区's demo stays the same for a seed.
            assert district.city is not None
            build_second_district(
                random.Random(f"{seed}:second"),
                city=district.city,
                categories=district.categories,
                end=window_end(today),
                days=days,
                n_cases=max(12, n_cases // 60),
            )
            # Last: the apps' finishing touches over everything built (the notices' part
            # records the whole replayed history as not to be sent).
            finish_apps(end=window_end(today), parts=parts)
    finally:
        codes.seed(None)
    return DemoSummary(district=district, actions=done, end=window_end(today))


def demo_apps() -> list[AppConfig]:
    """The civgrid apps that add a part to the demo: those with a `demo` module."""
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("civgrid.")
        and config.label != "demo"
        and find_spec(f"{config.name}.demo") is not None
    ]


def populate_apps(
    district: District,
    *,
    seed: int,
    end: dt.datetime,
    days: int,
    parts: Collection[str] | None = None,
) -> None:
    """Let every app that has a `demo` module add its part of the demo (frameworks,
    inspections, households, work logs...): `populate(district, rng, end=..., days=...)`.

    Each app draws from its own seeded random source, so one app's demo does not shift another's.
    """
    for config in demo_apps():
        if parts is not None and config.label not in parts:
            continue
        module = import_module(f"{config.name}.demo")
        if not hasattr(module, "populate"):
            continue
        module.populate(district, random.Random(f"{seed}:{config.label}"), end=end, days=days)


def finish_apps(*, end: dt.datetime, parts: Collection[str] | None = None) -> None:
    """Call every demo module's `finish(end=...)`, when it has one, once both districts and
    every app's part are built."""
    for config in demo_apps():
        if parts is not None and config.label not in parts:
            continue
        module = import_module(f"{config.name}.demo")
        if hasattr(module, "finish"):
            module.finish(end=end)
