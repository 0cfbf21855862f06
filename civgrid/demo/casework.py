"""Ninety days of the ledger (问题整改台账), replayed through the real case actions.

First every case is planned: its final state, who reports it, and the moments of each step
(working hours, deadlines from civgrid.cases.deadlines, late units, rework, returns, extensions).
Then all steps of all cases run in time order, each inside `time_machine.travel(moment)`, by
calling civgrid.cases.actions as the person who would take it: every case, event, version and
deadline in the demo is one the application itself wrote.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from shapely.geometry import Point

from civgrid.cases import actions, deadlines
from civgrid.cases.models import Case, Category, Source, Urgency
from civgrid.cases.reporting import report_case
from civgrid.demo import catalogue, names
from civgrid.demo.district import District, community_unit
from civgrid.demo.geometry import random_point_in
from civgrid.territory.models import Site

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

# Final state of a case -> share of cases. "closed" walks the whole assignment workflow,
# "fixed" is fixed on the spot by whoever found it.
FINAL_WEIGHTS = {
    "closed": 51,
    "fixed": 16,
    "rejected": 4,
    "duplicate": 3,
    "reported": 2.5,
    "registered": 2.5,
    "assigned": 4,
    "in_progress": 9,
    "submitted": 4,
    "rework": 2,
    "returned": 2,
}
# How long ago (in days) a case still open in that state was reported: (low, high) ranges with
# weights. The long tails are the overdue cases a ledger always has.
OPEN_AGES: dict[str, list[tuple[tuple[float, float], float]]] = {
    "reported": [((0.05, 2), 1)],
    "registered": [((0.2, 3), 1)],
    "assigned": [((0.3, 3), 8), ((5, 20), 2)],
    "in_progress": [((1, 6), 3), ((6, 30), 1)],
    "submitted": [((0.3, 4), 1)],
    "rework": [((1, 10), 1)],
    "returned": [((0.5, 4), 1)],
}
# Where the site says who answers: school surroundings and hospitals have their own bureau.
UNIT_OF_SITE_KIND: dict[str, str] = {
    Site.Kind.SCHOOL_SURROUNDINGS: "JTJ",
    Site.Kind.HOSPITAL: "WJW",
}
CATEGORY_WEIGHTS = {
    "ZDJY": 14,
    "LDLF": 12,
    "LJQY": 10,
    "XGG": 9,
    "DLPS": 5,
    "JGQS": 4,
    "GYGG": 5,
    "XFAQ": 6,
    "JDCLT": 10,
    "LHD": 4,
    "LDBL": 5,
    "GCWS": 4,
    "NMSC": 4,
    "CKFW": 3,
    "ZYRM": 5,
}
# Categories that happen at a particular kind of site (点位).
SITE_AFFINITY = {
    "NMSC": {Site.Kind.MARKET},
    "CKFW": {Site.Kind.SERVICE_WINDOW},
    "GCWS": {Site.Kind.PUBLIC_TOILET},
    "XFAQ": {Site.Kind.NINE_SMALL, Site.Kind.ENTERPRISE, Site.Kind.COMMUNITY},
    "ZDJY": {Site.Kind.MAIN_ROAD, Site.Kind.BACK_ALLEY, Site.Kind.MARKET},
    "JDCLT": {Site.Kind.MAIN_ROAD, Site.Kind.SCHOOL_SURROUNDINGS, Site.Kind.HOSPITAL},
}
SOURCE_WEIGHTS = {
    Source.PATROL: 30,
    Source.HOME_VISIT: 10,
    Source.RESIDENT: 16,
    Source.HOTLINE: 12,
    Source.INSPECTION: 16,
    Source.SUPERVISION: 8,
    Source.SELF_CHECK: 8,
}


@dataclass(order=True)
class Step:
    at: dt.datetime
    case: int
    seq: int
    name: str = field(compare=False)
    actor: str = field(compare=False)  # resolved when the step runs: see _Runner.actor
    kwargs: dict[str, Any] = field(compare=False, default_factory=dict)


@dataclass
class CasePlan:
    index: int
    final: str
    grid: int
    category: Category
    urgency: str
    source: str
    site: Site | None
    longitude: float
    latitude: float
    address: str
    description: str
    reporter: str  # actor spec of the reporter
    reporter_name: str = ""
    reporter_phone: str = ""
    reported_at: dt.datetime = dt.datetime.min.replace(tzinfo=dt.UTC)  # set when scheduled
    original: int | None = None  # for duplicates: the plan index of the original
    steps: list[Step] = field(default_factory=list)


def simulate(
    district: District,
    rng: random.Random,
    *,
    n_cases: int,
    end: dt.datetime,
    days: int = 90,
) -> Counter[str]:
    """Plan and replay `n_cases` cases reported in the `days` before `end`. Returns the count
    of actions taken by name."""
    planner = _Planner(district, rng, end=end, start=end - days * DAY)
    plans = planner.plan_all(n_cases)
    steps = sorted(s for p in plans for s in p.steps)
    return _Runner(district, plans).run(steps)


# --- planning ---------------------------------------------------------------------------


class _Planner:
    def __init__(
        self, district: District, rng: random.Random, *, start: dt.datetime, end: dt.datetime
    ) -> None:
        self.d = district
        self.rng = rng
        self.start = start
        self.end = end
        self.tz = timezone.get_default_timezone()
        self.categories = {c.code: c for c in district.categories}
        self.spec_of = {c.code: district.specs[c.pk] for c in district.categories}

    def plan_all(self, n: int) -> list[CasePlan]:
        finals = list(FINAL_WEIGHTS)
        # The first cases take every final state once, so even a tiny demo shows them all.
        chosen = finals[:n] + self.rng.choices(
            finals, weights=list(FINAL_WEIGHTS.values()), k=max(0, n - len(finals))
        )
        self.rng.shuffle(chosen)
        plans = [self._case(i, final) for i, final in enumerate(chosen)]
        # Originals first: a duplicate is reported after the case it repeats.
        for plan in plans:
            if plan.final != "duplicate":
                self._schedule(plan, self._first_report(plan))
        for plan in plans:
            if plan.final == "duplicate":
                self._schedule_duplicate(plan, plans)
        return plans

    # where, what, who ------------------------------------------------------------------

    def _case(self, index: int, final: str) -> CasePlan:
        rng = self.rng
        code = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        spec = self.spec_of[code]
        grid = rng.randrange(len(self.d.grids))
        sites = self.d.sites_by_grid[grid]
        fitting = [s for s in sites if s.kind in SITE_AFFINITY.get(code, ())]
        site = (
            rng.choice(fitting) if fitting else (rng.choice(sites) if rng.random() < 0.5 else None)
        )
        if site is not None:
            # A few metres from the site's own point, as a phone's GPS would put it.
            lon = site.longitude + rng.uniform(-0.00004, 0.00004)  # type: ignore[operator]
            lat = site.latitude + rng.uniform(-0.00004, 0.00004)  # type: ignore[operator]
            if not self.d.map.grids[grid].contains(Point(lon, lat)):
                lon, lat = site.longitude, site.latitude  # type: ignore[assignment]
            address, place = site.address, site.name
        else:
            p = random_point_in(rng, self.d.map.grids[grid], margin=0.00003)
            lon, lat = p.x, p.y
            street = rng.choice(self.d.grid_streets[grid])
            address = f"七一路街道{street}{rng.randint(1, 300)}号附近"
            place = address.removeprefix("七一路街道")
        urgency = rng.choices(
            [Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL],
            weights=[60, 30, 10] if code in ("XFAQ", "JGQS") else [82, 14, 4],
        )[0]
        if final == "fixed":
            source = rng.choice(
                [Source.PATROL, Source.PATROL, Source.HOME_VISIT, Source.INSPECTION]
            )
        elif final == "duplicate":  # repeats come from the public
            source = rng.choice([Source.RESIDENT, Source.HOTLINE, Source.HOTLINE])
        else:
            source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
        plan = CasePlan(
            index=index,
            final=final,
            grid=grid,
            category=self.categories[code],
            urgency=urgency,
            source=source,
            site=site,
            longitude=round(lon, 6),
            latitude=round(lat, 6),
            address=address,
            description=rng.choice(spec.problems).format(place=place),
            reporter=self._reporter(source, code),
        )
        if source == Source.HOTLINE:
            plan.reporter_name = names.person_name(rng)[0] + rng.choice(("先生", "女士"))
            plan.reporter_phone = names.mobile(rng)
        return plan

    def _reporter(self, source: str, category_code: str) -> str:
        rng = self.rng
        if source in (Source.PATROL, Source.HOME_VISIT):
            return "worker"
        if source == Source.RESIDENT:
            return f"resident:{rng.randrange(len(self.d.residents))}"
        if source == Source.INSPECTION:
            return f"inspector:{rng.randrange(len(self.d.inspectors))}"
        if source == Source.SELF_CHECK:
            return f"clerk:{self.spec_of[category_code].unit}"
        return "office"  # hotline calls and supervision feedback are entered by the office

    # when ------------------------------------------------------------------------------

    def _first_report(self, plan: CasePlan) -> dt.datetime:
        """Open cases are young (with a long, overdue tail); closed ones fill the 90 days."""
        rng = self.rng
        if plan.final in OPEN_AGES:
            ages = OPEN_AGES[plan.final]
            low, high = rng.choices([a for a, _w in ages], weights=[w for _a, w in ages])[0]
            return self.end - rng.uniform(low, high) * DAY
        return self.start + rng.uniform(0, (self.end - self.start) / DAY - 3) * DAY

    def _schedule_duplicate(self, plan: CasePlan, plans: list[CasePlan]) -> None:
        """The same problem reported again, hours or days after the original: same place,
        grid and category."""
        latest = self.end - 2 * DAY
        others = [p for p in plans if p.final != "duplicate" and p.reported_at < latest]
        if not others:
            plan.final = "rejected"
            self._schedule(plan, self._first_report(plan))
            return
        same = [p for p in others if p.category == plan.category] or others
        original = self.rng.choice(same)
        plan.original = original.index
        plan.grid, plan.site, plan.category = original.grid, original.site, original.category
        plan.longitude, plan.latitude = original.longitude, original.latitude
        plan.address, plan.description = original.address, original.description
        plan.urgency = original.urgency
        room = min(72.0, (latest - original.reported_at) / HOUR)
        self._schedule(
            plan,
            original.reported_at + self.rng.uniform(1, room) * HOUR,
            not_before=original.reported_at + 0.5 * HOUR,
        )

    def _schedule(
        self, plan: CasePlan, reported: dt.datetime, not_before: dt.datetime | None = None
    ) -> None:
        """Fit the case's steps before the end of the window, moving its report earlier if
        its story runs past it."""
        for _attempt in range(8):
            steps = self._lifecycle(plan, self._report_time(plan, reported))
            overshoot = steps[-1].at - (self.end - 0.5 * HOUR)
            if overshoot <= dt.timedelta(0):
                break
            reported -= overshoot + self.rng.uniform(1, 24) * HOUR
            if not_before is not None and reported < not_before:
                reported = not_before
        plan.steps = [s for s in steps if s.at < self.end]
        plan.reported_at = plan.steps[0].at

    def _report_time(self, plan: CasePlan, at: dt.datetime) -> dt.datetime:
        if plan.reporter.startswith("resident") or plan.source == Source.HOTLINE:
            return self._within(at, 7, 22)
        return self._within(at, 8, 19)

    def _within(self, at: dt.datetime, first_hour: int, last_hour: int) -> dt.datetime:
        """Move a moment into the day's active hours (to the next morning when too late)."""
        local = at.astimezone(self.tz)
        opening = local.replace(hour=first_hour, minute=0, second=0, microsecond=0)
        if local < opening:
            local = opening + self.rng.uniform(0, 1.5) * HOUR
        elif local.hour >= last_hour:
            local = opening + DAY + self.rng.uniform(0, 1.5) * HOUR
        return local.astimezone(dt.UTC).replace(microsecond=0)

    def _after(self, at: dt.datetime, low_hours: float, high_hours: float) -> dt.datetime:
        moment = self._within(at + self.rng.uniform(low_hours, high_hours) * HOUR, 8, 18)
        return max(moment, at + dt.timedelta(minutes=2))

    def _lifecycle(self, plan: CasePlan, reported: dt.datetime) -> list[Step]:
        """The steps of one case from its report to its final state, each with its actor."""
        rng, final, spec = self.rng, plan.final, self.spec_of[plan.category.code]
        steps: list[Step] = []

        def add(at: dt.datetime, name: str, actor: str, **kwargs: Any) -> dt.datetime:
            at = at.replace(microsecond=0)
            if steps and at <= steps[-1].at:
                at = steps[-1].at + dt.timedelta(minutes=1)
            steps.append(Step(at, plan.index, len(steps), name, actor, kwargs))
            return at

        report_kwargs: dict[str, Any] = {}
        if final == "fixed" and rng.random() < 0.75:
            report_kwargs = {"fixed_on_spot": True, "fix_note": rng.choice(spec.fixes)}
        t = add(reported, "report", plan.reporter, **report_kwargs)
        if final == "fixed":
            if not report_kwargs:  # reported first, fixed a little later
                t = add(
                    t + rng.uniform(0.1, 0.8) * HOUR,
                    "fix_on_spot",
                    plan.reporter,
                    note=rng.choice(spec.fixes),
                )
            self._answer(plan, t, add, chance=0.5)
            return sorted(steps)
        if final == "reported":
            return steps
        if rng.random() < 0.08:
            t = add(
                t + rng.uniform(0.5, 5) * HOUR,
                "comment",
                "worker",
                note=rng.choice(catalogue.COMMENTS),
            )
        registrar = "office" if rng.random() < 0.8 else f"inspector:{rng.randrange(2)}"
        if final == "rejected":
            if rng.random() < 0.3:
                t = add(self._after(t, 0.5, 20), "register", registrar)
            t = add(
                self._after(t, 0.5, 20),
                "reject",
                registrar,
                reason=rng.choice(catalogue.REJECT_REASONS),
            )
            self._answer(plan, t, add, chance=0.6, rejected=True)
            return sorted(steps)
        if final == "duplicate":
            t = add(
                self._after(t, 0.5, 8),
                "mark_duplicate",
                "office",
                original=plan.original,
                note="同一问题重复反映，合并处理",
            )
            self._answer(plan, t, add, chance=0.4, rejected=True)
            return sorted(steps)
        t = add(self._after(t, 0.5, 20), "register", registrar)
        if final == "registered":
            return steps

        right_unit = spec.unit
        community = community_unit(self.d, plan.grid)
        site_unit = UNIT_OF_SITE_KIND.get(plan.site.kind) if plan.site else None
        if community is not None and spec.unit == "QYLJD" and rng.random() < 0.5:
            right_unit = community.code  # the residents' committee handles its own patch
        elif site_unit and rng.random() < 0.4:
            right_unit = site_unit
        elif spec.alternates and rng.random() < 0.3:
            right_unit = rng.choice(spec.alternates)
        misrouted = final == "returned" or rng.random() < 0.07
        unit = spec.wrong_unit if misrouted else right_unit
        t = add(self._after(t, 0.2, 6), "assign", "office", unit=unit)
        due = deadlines.compute_due_at(plan.category, plan.urgency, t)
        if misrouted:
            if rng.random() < 0.3:
                t = add(self._after(t, 1, 20), "accept", f"clerk:{unit}")
            t = add(
                self._after(t, 2, 30),
                "return_case",
                f"clerk:{unit}",
                reason=rng.choice(catalogue.RETURN_REASONS),
            )
            if final == "returned":
                return steps
            t = add(self._after(t, 1, 8), "assign", "office", unit=right_unit)
            due = deadlines.compute_due_at(plan.category, plan.urgency, t)
            unit = right_unit
        clerk = f"clerk:{unit}"
        if final == "assigned":
            self._urge_if_late(t, due, self.end, add)
            return sorted(steps)
        t = add(self._after(t, 1, 20), "accept", clerk)

        if rng.random() < 0.12:  # extension (延期)
            days = rng.choice((2, 3, 5, 7))
            t = add(
                self._after(t, 4, 30),
                "request_extension",
                clerk,
                days=days,
                reason=rng.choice(catalogue.EXTENSION_REASONS),
            )
            if final == "in_progress" and rng.random() < 0.35:
                return steps  # the request waits for the office
            if rng.random() < 0.75:
                given = days if rng.random() < 0.7 else max(1, days - 2)
                t = add(
                    self._after(t, 1, 24),
                    "decide_extension",
                    "office",
                    grant=True,
                    days=given,
                    note="同意延期",
                )
                due = deadlines.extend_due_at(due, given)
            else:
                t = add(
                    self._after(t, 1, 24),
                    "decide_extension",
                    "office",
                    grant=False,
                    note=rng.choice(catalogue.REFUSAL_NOTES),
                )
        if final == "in_progress":
            self._urge_if_late(t, due, self.end, add)
            return sorted(steps)
        late = rng.random() < 0.18
        submit_at = (
            due + rng.uniform(12, 96) * HOUR if late else t + (due - t) * rng.uniform(0.15, 0.85)
        )
        submit_at = self._within(max(submit_at, t + HOUR), 8, 20)
        self._urge_if_late(t, due, submit_at, add)
        t = add(submit_at, "submit", clerk, note=rng.choice(spec.fixes))
        if final == "submitted":
            return sorted(steps)
        verifier = f"inspector:{rng.randrange(2)}" if rng.random() < 0.7 else "office"
        if final == "rework" or rng.random() < 0.1:
            t = add(
                self._after(t, 4, 30),
                "verify_fail",
                verifier,
                reason=rng.choice(catalogue.REWORK_REASONS),
            )
            if final == "rework":
                return sorted(steps)
            t = add(self._after(t, 12, 60), "submit", clerk, note="已按要求重新整改到位")
        t = add(self._after(t, 3, 36), "verify_pass", verifier, note="现场核查，整改到位")
        self._answer(plan, t, add, chance=0.8)
        return sorted(steps)

    def _urge_if_late(
        self, after: dt.datetime, due: dt.datetime, until: dt.datetime, add: Any
    ) -> None:
        """The 分包领导 presses a unit whose case ran past its deadline (督办)."""
        moment = self._after(max(due, after), 2, 20)
        if moment < until and self.rng.random() < 0.7:
            add(moment, "urge", "leader", note=self.rng.choice(catalogue.URGES))

    def _answer(
        self, plan: CasePlan, t: dt.datetime, add: Any, *, chance: float, rejected: bool = False
    ) -> None:
        """Reply to the reporter (件件有回音) and, often, their satisfaction rating."""
        rng = self.rng
        if rng.random() >= chance:
            return
        replier = "worker" if plan.reporter == "worker" else "office"
        text = rng.choice(catalogue.REJECT_REPLIES if rejected else catalogue.REPLIES)
        t = add(self._after(t, 0.5, 24), "reply", replier, text=text)
        if rng.random() < 0.7:
            score = rng.choices([5, 4, 3, 2, 1], weights=[55, 28, 10, 4, 3])[0]
            if rejected:
                score = max(1, score - 1)
            if plan.reporter.startswith("resident"):  # rates on the phone, any evening
                add(
                    self._within(t + rng.uniform(2, 72) * HOUR, 7, 22),
                    "rate",
                    plan.reporter,
                    score=score,
                )
            else:  # the replier writes down what the reporter said on the follow-up call
                add(self._after(t, 2, 72), "rate", replier, score=score)


# --- replaying ------------------------------------------------------------------------------


class _Runner:
    def __init__(self, district: District, plans: list[CasePlan]) -> None:
        self.d = district
        self.plans = plans
        self.grid_index = {g.pk: i for i, g in enumerate(district.grids)}
        self.pk: dict[int, int] = {}
        self.version: dict[int, int] = {}
        self.unit: dict[int, str | None] = {}

    def actor(self, spec: str, plan: CasePlan) -> User:
        kind, _sep, arg = spec.partition(":")
        if kind == "office":
            return self.d.office
        if kind == "inspector":
            return self.d.inspectors[int(arg)]
        if kind == "resident":
            return self.d.residents[int(arg)]
        if kind == "worker":
            return self.d.worker_of_grid[plan.grid]
        if kind == "leader":
            return self.d.leaders[self.d.area_index(plan.grid)]
        if kind == "clerk":
            return self.d.clerks[arg or self.unit[plan.index]]  # type: ignore[index]
        raise ValueError(spec)

    def run(self, steps: list[Step]) -> Counter[str]:
        done: Counter[str] = Counter()
        for step in steps:
            plan = self.plans[step.case]
            with time_machine.travel(step.at, tick=False):
                if step.name == "report":
                    self._report(plan, step)
                else:
                    self._act(plan, step)
            done[step.name] += 1
        return done

    def _report(self, plan: CasePlan, step: Step) -> None:
        located = plan.reporter.startswith("resident") or plan.source == Source.HOTLINE
        case, _created = report_case(
            actor=self.actor(step.actor, plan),
            source=plan.source,
            category=plan.category,
            description=plan.description,
            urgency=plan.urgency,
            longitude=plan.longitude,
            latitude=plan.latitude,
            address=plan.address,
            # Residents and callers give a place; the grid is found from the coordinates.
            grid=None if located else self.d.grids[plan.grid],
            site=None if located else plan.site,
            reporter_name=plan.reporter_name,
            reporter_phone=plan.reporter_phone,
            **step.kwargs,
        )
        plan.grid = self.grid_index[case.grid_id]  # type: ignore[index]
        self.pk[plan.index] = case.pk
        self.version[plan.index] = case.version

    def _act(self, plan: CasePlan, step: Step) -> None:
        kwargs = dict(step.kwargs)
        if step.name == "assign":
            self.unit[plan.index] = kwargs["unit"]
            kwargs["unit"] = self.d.units[kwargs["unit"]]
        elif step.name == "mark_duplicate":
            kwargs["original"] = Case.objects.get(pk=self.pk[kwargs["original"]])
        actor = self.actor(step.actor, plan)
        if step.name == "return_case":
            self.unit[plan.index] = None
        action: Callable[..., Case] = actions.ACTIONS[step.name]  # type: ignore[assignment]
        case = action(
            self.pk[plan.index],
            actor=actor,
            expected_version=self.version[plan.index],
            **kwargs,
        )
        self.version[plan.index] = case.version
