"""The demo's mock evaluations (模拟测评): two completed rounds a few weeks apart and one
planned round, over sites sampled per kind, on the current framework.

Runs after civgrid/standards/demo.py (INSTALLED_APPS order). Every check goes through
civgrid.inspections.actions at its past moment (time_machine), so each failure is a real
ledger case with its events and deadline; most cases of the first round are then fixed and
verified by their unit, so the "now" score of round one recovers and round two scores better.
Without a current framework it does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import time_machine
from django.contrib.auth.models import User

from civgrid.cases import actions as case_actions
from civgrid.cases.models import Case
from civgrid.inspections import actions
from civgrid.inspections.models import Finding, Inspection, Kind
from civgrid.inspections.queries import applicable_standards
from civgrid.standards.models import Framework, Standard
from civgrid.territory.models import Site

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)
SITES_PER_KIND = 2
# Share of checks failed in each round (the district improves between them).
FAIL_RATE = (0.30, 0.12)
NOT_APPLICABLE_RATE = 0.04
FIXED_ON_SPOT_RATE = 0.2
# Share of round-one cases the units fix before the demo's "now".
FIXED_LATER_RATE = 0.7


def _can_fail(standard: Standard) -> bool:
    category = standard.category
    return category is not None and (
        standard.lead_unit_id is not None or category.default_unit_id is not None
    )


def _sample_sizes(framework: Framework) -> dict[str, object]:
    kinds = actions.covered_kinds(framework)
    present = set(Site.objects.filter(kind__in=kinds).values_list("kind", flat=True).distinct())
    return {kind: SITES_PER_KIND for kind in sorted(kinds & present)}


def _at_work(day: dt.datetime, hour: float) -> dt.datetime:
    return day.replace(hour=0, minute=0, second=0, microsecond=0) + dt.timedelta(hours=hour)


def _run_round(
    inspection: Inspection,
    rng: random.Random,
    start: dt.datetime,
    fail_rate: float,
    team: list[User],
) -> list[Case]:
    sites = list(inspection.sites.select_related("site", "inspection").order_by("order"))
    by_kind = {
        kind: applicable_standards(inspection.framework_id, kind)
        for kind in {isite.site.kind for isite in sites}
    }
    checklist = {isite.pk: by_kind[isite.site.kind] for isite in sites}
    # Exactly the round's share of failures, drawn among the checks that can fail (a
    # standard without a category or unit cannot go on the ledger).
    failable = [(isite.pk, s.pk) for isite in sites for s in checklist[isite.pk] if _can_fail(s)]
    failing = set(rng.sample(failable, round(fail_rate * len(failable))))
    per_day = max(1, len(sites) // 3 + 1)
    for i, isite in enumerate(sites):
        day = start + (i // per_day) * DAY
        moment = _at_work(day, 9 + (i % per_day) * 7 / per_day + rng.random() * 0.5)
        inspector = team[i % len(team)]
        site = isite.site
        with time_machine.travel(moment, tick=False):
            for standard in checklist[isite.pk]:
                kwargs: dict[str, Any] = {}
                if (isite.pk, standard.pk) in failing:
                    outcome = "fail"
                    kwargs["note"] = rng.choice(
                        ["现场发现问题，已拍照取证", "问题较为明显", "群众反映较多", ""]
                    )
                    if rng.random() < FIXED_ON_SPOT_RATE:
                        kwargs.update(fixed_on_spot=True, fix_note="督查组现场督促整改到位")
                elif rng.random() < NOT_APPLICABLE_RATE:
                    outcome = "not_applicable"
                else:
                    outcome = "pass"
                actions.record_check(
                    isite,
                    actor=inspector,
                    standard=standard,
                    outcome=outcome,
                    longitude=site.longitude,
                    latitude=site.latitude,
                    accuracy=float(rng.randint(5, 40)) if site.longitude is not None else None,
                    **kwargs,
                )
            actions.complete_site(isite, actor=inspector)
    last = start + ((len(sites) - 1) // per_day) * DAY
    with time_machine.travel(_at_work(last, 18), tick=False):
        actions.complete_inspection(inspection, actor=team[0])
    return [f.case for f in Finding.objects.filter(inspection=inspection).select_related("case")]


def _fix_later(
    cases: list[Case], district: Any, rng: random.Random, after: dt.datetime, end: dt.datetime
) -> None:
    """Units fix most round-one cases within a couple of weeks; an inspector verifies."""
    inspector = district.inspectors[0]
    for case in cases:
        case.refresh_from_db()
        if case.unit is None or case.is_closed or rng.random() > FIXED_LATER_RATE:
            continue
        clerk = district.clerks.get(case.unit.code)
        if clerk is None:
            continue
        accept_at = after + dt.timedelta(days=rng.uniform(1, 8))
        submit_at = accept_at + dt.timedelta(days=rng.uniform(1, 4))
        verify_at = submit_at + dt.timedelta(days=rng.uniform(0.5, 2))
        if verify_at >= end:
            continue
        with time_machine.travel(accept_at, tick=False):
            case = case_actions.accept(case, actor=clerk, expected_version=case.version)
        with time_machine.travel(submit_at, tick=False):
            case = case_actions.submit(
                case, actor=clerk, expected_version=case.version, note="已按要求整改到位"
            )
        with time_machine.travel(verify_at, tick=False):
            case_actions.verify_pass(
                case, actor=inspector, expected_version=case.version, note="复查合格"
            )


def populate(district: Any, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    framework = Framework.current()
    if framework is None or not district.inspectors:
        return
    sizes = _sample_sizes(framework)
    if not sizes:
        return
    team = list(district.inspectors[:2])
    office = district.office
    rounds = [
        ("第一轮模拟测评", end - 42 * DAY, FAIL_RATE[0]),
        ("第二轮模拟测评", end - 14 * DAY, FAIL_RATE[1]),
    ]
    first_cases: list[Case] = []
    for index, (name, start, fail_rate) in enumerate(rounds):
        with time_machine.travel(start - 3 * DAY + 10 * HOUR, tick=False):
            inspection = actions.plan_inspection(
                actor=office,
                name=name,
                kind=Kind.UNANNOUNCED,
                framework=framework,
                starts_on=start.date(),
                ends_on=(start + 4 * DAY).date(),
                team=team,
                leader=team[0],
                sample_sizes=sizes,
                seed=rng.randrange(1_000_000),
                note="模拟国家测评方式，按点位类型随机抽样",
            ).inspection
        cases = _run_round(inspection, rng, start, fail_rate, team)
        if index == 0:
            first_cases = cases
            _fix_later(first_cases, district, rng, start + 5 * DAY, end)
    actions.plan_inspection(
        actor=office,
        name="第三轮模拟测评（回头看）",
        kind=Kind.SELF_CHECK,
        framework=framework,
        starts_on=(end + 7 * DAY).date(),
        ends_on=(end + 11 * DAY).date(),
        team=team,
        leader=team[0],
        sample_sizes=sizes,
        seed=rng.randrange(1_000_000),
    )
