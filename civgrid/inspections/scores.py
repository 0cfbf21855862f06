"""Scores of an inspection round (模拟测评得分) and the standards at risk.

A round's score: for every (site, standard) checked, the standard's points if it passed and
none if it failed; not-applicable checks count for nothing either way. Achieved / possible,
as points and a percentage, broken down by item, content, standard, site kind, lead unit and
grid. Two views of the same round:

- "at inspection" (raw): the outcomes as recorded;
- "now": a failed check counts as recovered once its case is closed on the ledger (销号, fixed
  on the spot, or rejected as not a problem; a duplicate follows its original). So the score
  moves as units close cases, and shows what the evaluators would find today.

"At risk": standards ordered by the points at stake in findings whose case is still open
(and, separately, overdue), across all rounds the reader may see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civgrid.cases.models import Case
from civgrid.cases.queries import overdue_q
from civgrid.cases.workflow import OPEN_STATES, Status
from civgrid.inspections.models import CheckResult, Finding, Inspection, Outcome
from civgrid.standards.models import Standard
from civgrid.territory.models import Site

VIEWS = ("raw", "now")
BREAKDOWNS = {
    "item": gettext_lazy("Evaluation item (测评项目)"),
    "content": gettext_lazy("Evaluation content (测评内容)"),
    "standard": gettext_lazy("Evaluation standard (测评标准)"),
    "site_kind": gettext_lazy("Site kind (点位类型)"),
    "unit": gettext_lazy("Lead unit (牵头单位)"),
    "grid": gettext_lazy("Grid (网格)"),
}
HUNDRED = Decimal(100)
KIND_ORDER = {kind: i for i, kind in enumerate(Site.Kind.values)}


def is_recovered(status: str | None, original_status: str | None = None) -> bool:
    """A failed check whose case no longer stands against the district."""
    if status in (Status.CLOSED, Status.REJECTED):
        return True
    if status == Status.DUPLICATE:
        return original_status in (Status.CLOSED, Status.REJECTED)
    return False


@dataclass(frozen=True)
class Check:
    """One (site, standard) checked in a round, with what scoring needs to group it."""

    points: Decimal
    passed: bool
    recovered: bool  # failed, and its case is closed now
    keys: dict[str, tuple[object, str, tuple[object, ...]]]  # by -> (key, label, sort key)

    def achieved(self, view: str) -> Decimal:
        if self.passed or (view == "now" and self.recovered):
            return self.points
        return Decimal(0)


_FIELDS = (
    "outcome",
    "inspection_site__site_id",
    "inspection_site__site__kind",
    "inspection_site__site__grid_id",
    "inspection_site__site__grid__code",
    "inspection_site__site__grid__name",
    "standard_id",
    "standard__code",
    "standard__text",
    "standard__points",
    "standard__order",
    "standard__content_id",
    "standard__content__code",
    "standard__content__name",
    "standard__content__order",
    "standard__content__item_id",
    "standard__content__item__code",
    "standard__content__item__name",
    "standard__content__item__order",
    "standard__lead_unit_id",
    "standard__lead_unit__code",
    "standard__lead_unit__name",
    "finding__case__status",
    "finding__case__duplicate_of__status",
)


def checks_of(inspection: Inspection | int, *, grid_ids: set[int] | None = None) -> list[Check]:
    """The round's scored checks (N/A left out), optionally only at sites in `grid_ids`."""
    pk = inspection.pk if isinstance(inspection, Inspection) else inspection
    rows = CheckResult.objects.filter(inspection_site__inspection_id=pk).exclude(
        outcome=Outcome.NOT_APPLICABLE
    )
    if grid_ids is not None:
        rows = rows.filter(inspection_site__site__grid_id__in=grid_ids)
    kinds = dict(Site.Kind.choices)
    no_unit = _("(no lead unit)")
    result = []
    for r in rows.values(*_FIELDS).order_by("id"):
        item_order = (r["standard__content__item__order"], r["standard__content__item__code"])
        content_order = (*item_order, r["standard__content__order"], r["standard__content__code"])
        kind = r["inspection_site__site__kind"]
        result.append(
            Check(
                points=r["standard__points"] or Decimal(0),
                passed=r["outcome"] == Outcome.PASS,
                recovered=is_recovered(
                    r["finding__case__status"], r["finding__case__duplicate_of__status"]
                ),
                keys={
                    "item": (
                        r["standard__content__item_id"],
                        f"{r['standard__content__item__code']} {r['standard__content__item__name']}",
                        item_order,
                    ),
                    "content": (
                        r["standard__content_id"],
                        f"{r['standard__content__code']} {r['standard__content__name']}",
                        content_order,
                    ),
                    "standard": (
                        r["standard_id"],
                        f"{r['standard__code']} {r['standard__text']}",
                        (*content_order, r["standard__order"], r["standard__code"]),
                    ),
                    "site_kind": (kind, str(kinds.get(kind, kind)), (KIND_ORDER.get(kind, 99),)),
                    "unit": (
                        r["standard__lead_unit_id"],
                        r["standard__lead_unit__name"] or no_unit,
                        (r["standard__lead_unit__code"] or "~",),
                    ),
                    "grid": (
                        r["inspection_site__site__grid_id"],
                        r["inspection_site__site__grid__name"],
                        (r["inspection_site__site__grid__code"],),
                    ),
                },
            )
        )
    return result


def percent(achieved: Decimal, possible: Decimal) -> Decimal | None:
    if not possible:
        return None
    return (achieved * HUNDRED / possible).quantize(Decimal("0.1"))


@dataclass
class Line:
    """The score of one group (or the whole round)."""

    key: object
    label: str
    sort: tuple[object, ...] = ()
    checks: int = 0
    failed: int = 0
    recovered: int = 0
    possible: Decimal = Decimal(0)
    achieved_raw: Decimal = Decimal(0)
    achieved_now: Decimal = Decimal(0)

    def add(self, check: Check) -> None:
        self.checks += 1
        self.possible += check.points
        self.achieved_raw += check.achieved("raw")
        self.achieved_now += check.achieved("now")
        if not check.passed:
            self.failed += 1
            self.recovered += int(check.recovered)

    @property
    def percent_raw(self) -> Decimal | None:
        return percent(self.achieved_raw, self.possible)

    @property
    def percent_now(self) -> Decimal | None:
        return percent(self.achieved_now, self.possible)

    def achieved(self, view: str) -> Decimal:
        return self.achieved_now if view == "now" else self.achieved_raw

    def percent(self, view: str) -> Decimal | None:
        return self.percent_now if view == "now" else self.percent_raw


def total(checks: Iterable[Check]) -> Line:
    line = Line(key=None, label=_("Whole round"))
    for check in checks:
        line.add(check)
    return line


def breakdown(checks: Iterable[Check], by: str) -> list[Line]:
    """Lines per group, in the framework's order (or kind order, unit code, grid code)."""
    if by not in BREAKDOWNS:
        raise ValueError(by)
    lines: dict[object, Line] = {}
    for check in checks:
        key, label, sort = check.keys[by]
        line = lines.get(key)
        if line is None:
            line = lines[key] = Line(key=key, label=label, sort=sort)
        line.add(check)
    return sorted(lines.values(), key=lambda line: tuple(str(s) for s in line.sort))


@dataclass
class Comparison:
    """One group in two rounds side by side; delta in percentage points (b − a)."""

    key: object
    label: str
    a: Line | None
    b: Line | None
    view: str = "raw"

    @property
    def delta(self) -> Decimal | None:
        if self.a is None or self.b is None:
            return None
        pa, pb = self.a.percent(self.view), self.b.percent(self.view)
        if pa is None or pb is None:
            return None
        return pb - pa


def compare(a: list[Check], b: list[Check], by: str, view: str = "raw") -> list[Comparison]:
    """Two rounds side by side per group (is the district getting better?)."""
    lines_a = {line.key: line for line in breakdown(a, by)}
    lines_b = {line.key: line for line in breakdown(b, by)}
    order = sorted({**lines_a, **lines_b}.items(), key=lambda kv: tuple(str(s) for s in kv[1].sort))
    return [
        Comparison(key=key, label=line.label, a=lines_a.get(key), b=lines_b.get(key), view=view)
        for key, line in order
    ]


@dataclass
class Risk:
    """A standard with findings still open: the points the district stands to lose."""

    standard: Standard
    open: int = 0
    overdue: int = 0
    inspections: set[int] = field(default_factory=set)

    @property
    def points_at_stake(self) -> Decimal:
        return self.standard.points * self.open

    @property
    def points_overdue(self) -> Decimal:
        return self.standard.points * self.overdue


def at_risk(findings: QuerySet[Finding], now: dt.datetime) -> list[Risk]:
    """Standards ordered by points at stake from findings whose case is open (then by
    overdue points, then code). `findings` is already scoped to the reader."""
    open_findings = findings.filter(case__status__in=list(OPEN_STATES))
    overdue_ids = set(
        open_findings.filter(case__in=Case.objects.filter(overdue_q(now)).values("id")).values_list(
            "id", flat=True
        )
    )
    risks: dict[int, Risk] = {}
    standards = {}
    pairs = list(open_findings.values_list("id", "standard_id", "inspection_id"))
    if pairs:
        standards = Standard.objects.select_related("content__item", "lead_unit").in_bulk(
            {s for _i, s, _n in pairs}
        )
    for finding_id, standard_id, inspection_id in pairs:
        risk = risks.get(standard_id)
        if risk is None:
            risk = risks[standard_id] = Risk(standard=standards[standard_id])
        risk.open += 1
        risk.overdue += int(finding_id in overdue_ids)
        risk.inspections.add(inspection_id)
    return sorted(
        risks.values(),
        key=lambda r: (-r.points_at_stake, -r.points_overdue, r.standard.code),
    )
