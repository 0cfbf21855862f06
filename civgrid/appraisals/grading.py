"""The grading rule of a scheme as plain, pure functions: scores in, grade out.

Nothing here touches the database: `rule_of(scheme)` turns a stored scheme into a `Rule` once,
then `check_scores`, `grade`, `quota_limit`/`check_quota` and `movement` work on plain values,
so they are tested from hand-built scores (tests/test_grading.py) and the cycle of a later step
calls the same functions when it fixes results.

The rules:
- **stars (星级)**: a star is earned when the points of its scoring points reach its pass mark;
  the grade is the number of stars earned, so the top grade (five stars of five) needs every
  star. A star without a pass mark must reach all its points.
- **bands (等次)**: the total points fall in the highest band whose `min_score` they reach
  (90/80/70/60 → 优秀/良好/合格/不合格); below every band is the lowest band.
- **veto (一票否决)**: a failed veto point gives the lowest grade (no star, the lowest band)
  whatever the rest; the vetoing points are named in the result.
- **quota**: at most `percent` % of a cycle's subjects (rounded down) may reach the quota grade
  or above; acceptance may not fix results over it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from civgrid.appraisals.models import Scheme

ZERO = Decimal("0")
STARS = "stars"
BANDS = "bands"


@dataclass(frozen=True)
class PointSpec:
    code: str
    max_points: Decimal
    is_veto: bool = False


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    name: str
    points: tuple[PointSpec, ...]
    pass_mark: Decimal | None = None

    @property
    def max_points(self) -> Decimal:
        return sum((p.max_points for p in self.points), ZERO)

    @property
    def mark(self) -> Decimal:
        """Points needed for the star (all of them when no pass mark is set)."""
        return self.pass_mark if self.pass_mark is not None else self.max_points


@dataclass(frozen=True)
class Quota:
    rank: int  # the grade limited (stars, or a band's rank) and every grade above it
    percent: Decimal


@dataclass(frozen=True)
class Rule:
    kind: str  # STARS or BANDS
    dimensions: tuple[DimensionSpec, ...]
    bands: tuple[tuple[Decimal, str], ...] = ()  # (min_score, label), any order
    quota: Quota | None = None

    @property
    def points(self) -> dict[str, PointSpec]:
        return {p.code: p for d in self.dimensions for p in d.points}

    @property
    def max_points(self) -> Decimal:
        return sum((d.max_points for d in self.dimensions), ZERO)

    @property
    def bands_high_first(self) -> tuple[tuple[Decimal, str], ...]:
        return tuple(sorted(self.bands, key=lambda b: b[0], reverse=True))

    @property
    def top_rank(self) -> int:
        return len(self.dimensions) if self.kind == STARS else len(self.bands)

    def label(self, rank: int) -> str:
        """The grade's name: "5星" (ranks count stars), or the band's label (rank 1 is the
        lowest band, len(bands) the highest)."""
        if self.kind == STARS:
            if rank == 0:
                return _("No star")
            return ngettext("%(n)d star", "%(n)d stars", rank) % {"n": rank}
        bands = self.bands_high_first
        return bands[len(bands) - rank][1] if 0 < rank <= len(bands) else ""


@dataclass(frozen=True)
class Result:
    total: Decimal
    by_dimension: dict[str, Decimal]
    earned: tuple[str, ...]  # dimension codes whose star is earned (stars rule)
    rank: int  # stars earned, or the band's rank (1 = lowest)
    label: str
    vetoed_by: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # points without a score (counted as 0)


@dataclass
class ScoreProblem:
    code: str
    message: str


@dataclass
class QuotaCheck:
    limit: int
    reached: int
    over: list[str] = field(default_factory=list)  # subjects over the limit (any order)

    @property
    def ok(self) -> bool:
        return self.reached <= self.limit


def rule_of(scheme: Scheme) -> Rule:
    """The pure rule of a stored scheme (three queries)."""
    from civgrid.appraisals.models import GradingRule

    points_by_dimension: dict[int, list[PointSpec]] = {}
    for dimension_id, code, max_points, is_veto in scheme.points.order_by(
        "criterion__order", "criterion__pk", "order", "pk"
    ).values_list("criterion__dimension_id", "code", "max_points", "is_veto"):
        points_by_dimension.setdefault(dimension_id, []).append(
            PointSpec(code, max_points, is_veto)
        )
    dimensions = tuple(
        DimensionSpec(d.code, d.name, tuple(points_by_dimension.get(d.pk, ())), d.pass_mark)
        for d in scheme.dimensions.all()
    )
    bands = tuple((b.min_score, b.label) for b in scheme.bands.all())
    quota = None
    if scheme.quota_rank is not None and scheme.quota_percent is not None:
        quota = Quota(scheme.quota_rank, scheme.quota_percent)
    kind = STARS if scheme.rule == GradingRule.STARS else BANDS
    return Rule(kind, dimensions, bands, quota)


def check_rule(rule: Rule) -> list[str]:
    """Why a rule cannot grade (empty: it can); checked before a scheme is published."""
    problems: list[str] = []
    if not rule.dimensions:
        problems.append(_("The scheme has no star or dimension."))
    for d in rule.dimensions:
        if not d.points:
            problems.append(_("%(name)s has no scoring point.") % {"name": d.name})
        if rule.kind == STARS and d.pass_mark is not None and d.pass_mark > d.max_points:
            problems.append(
                _("The pass mark of %(name)s (%(mark)s) is above its points (%(max)s).")
                % {"name": d.name, "mark": d.pass_mark, "max": d.max_points}
            )
    if rule.kind == BANDS:
        if not rule.bands:
            problems.append(_("A bands scheme needs its grade bands."))
        elif min(b[0] for b in rule.bands) != ZERO:
            problems.append(_("The lowest band must start at 0 points."))
        elif max(b[0] for b in rule.bands) > rule.max_points:
            problems.append(
                _("A band starts above the scheme's points (%(max)s).") % {"max": rule.max_points}
            )
        if len({b[0] for b in rule.bands}) != len(rule.bands):
            problems.append(_("Two bands start at the same score."))
    if rule.quota is not None and not 0 < rule.quota.rank <= rule.top_rank:
        problems.append(_("The quota names a grade the scheme does not have."))
    return problems


def check_scores(
    rule: Rule, scores: Mapping[str, Decimal], vetoed: Iterable[str] = ()
) -> list[ScoreProblem]:
    """Scores that cannot be accepted: unknown point, below 0, above the point's maximum, more
    than two decimals, a veto mark on a point that is not a veto item."""
    points = rule.points
    problems: list[ScoreProblem] = []
    for code, value in scores.items():
        spec = points.get(code)
        if spec is None:
            problems.append(ScoreProblem(code, _("No scoring point %(code)s.") % {"code": code}))
        elif not value.is_finite() or value < ZERO or value > spec.max_points:
            problems.append(
                ScoreProblem(
                    code,
                    _("%(code)s: give 0 to %(max)s points, not %(value)s.")
                    % {"code": code, "max": spec.max_points, "value": value},
                )
            )
        elif value != value.quantize(Decimal("0.01")):
            problems.append(
                ScoreProblem(code, _("%(code)s: at most two decimals.") % {"code": code})
            )
    for code in vetoed:
        spec = points.get(code)
        if spec is None or not spec.is_veto:
            problems.append(ScoreProblem(code, _("%(code)s is not a veto item.") % {"code": code}))
    return problems


def grade(rule: Rule, scores: Mapping[str, Decimal], vetoed: Iterable[str] = ()) -> Result:
    """The grade the scores earn. Points without a score count 0 (and are listed in
    `missing`); `vetoed` names the veto points failed. Scores must pass check_scores first."""
    vetoed_codes = tuple(sorted(set(vetoed)))
    by_dimension: dict[str, Decimal] = {}
    missing: list[str] = []
    for d in rule.dimensions:
        total = ZERO
        for p in d.points:
            if p.code in scores:
                total += scores[p.code]
            else:
                missing.append(p.code)
        by_dimension[d.code] = total
    total = sum(by_dimension.values(), ZERO)
    earned: tuple[str, ...] = ()
    if rule.kind == STARS:
        if not vetoed_codes:
            earned = tuple(d.code for d in rule.dimensions if by_dimension[d.code] >= d.mark)
        rank = len(earned)
    else:
        bands = rule.bands_high_first
        rank = 1 if bands else 0
        if not vetoed_codes:
            for i, (min_score, _label) in enumerate(bands):
                if total >= min_score:
                    rank = len(bands) - i
                    break
    return Result(
        total=total,
        by_dimension=by_dimension,
        earned=earned,
        rank=rank,
        label=rule.label(rank),
        vetoed_by=vetoed_codes,
        missing=tuple(missing),
    )


def quota_limit(quota: Quota, subjects: int) -> int:
    """How many of `subjects` may reach the quota grade: `percent` % rounded down ("at most")."""
    share = Decimal(subjects) * quota.percent / Decimal(100)
    return int(share.to_integral_value(rounding=ROUND_FLOOR))


def check_quota(rule: Rule, ranks: Mapping[str, int]) -> QuotaCheck | None:
    """The quota against a cycle's grades ({subject: rank}); None when the scheme has none.
    `over` lists the subjects at or above the quota grade when there are too many, for the
    acceptance group to decide among."""
    if rule.quota is None:
        return None
    limit = quota_limit(rule.quota, len(ranks))
    at_top = sorted(s for s, rank in ranks.items() if rank >= rule.quota.rank)
    check = QuotaCheck(limit=limit, reached=len(at_top))
    if not check.ok:
        check.over = at_top
    return check


class Movement:
    """A subject's result against the previous cycle (升降星)."""

    NEW = "new"  # first rated
    PROMOTED = "promoted"
    KEPT = "kept"
    DEMOTED = "demoted"
    LOST = "lost"  # rated last time, no grade (or not appraised) now


def movement(previous: int | None, current: int | None) -> str | None:
    """Compare two ranks (None: not appraised, or no grade); None when neither has one."""
    previous = previous or None
    current = current or None
    if previous is None:
        return Movement.NEW if current is not None else None
    if current is None:
        return Movement.LOST
    if current > previous:
        return Movement.PROMOTED
    if current < previous:
        return Movement.DEMOTED
    return Movement.KEPT
