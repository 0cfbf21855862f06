"""The figures of a cycle (统计): files by type and grade (the seed's 17/3/18/3 table with its
star levels), movements against last year, and the stars (dimensions) most often not reached
at the deciding level — each count a link to the files behind it (the cycle page's filters)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from civgrid.appraisals import grading
from civgrid.appraisals.models import Cycle, Enrolment, PartyBranch, Score


@dataclass
class Figures:
    ranks: list[tuple[int, str]]  # the grades, best first: (rank, label)
    by_kind: list[tuple[str, str, list[tuple[int, int]], int]]  # kind, label, [(rank, n)], total
    ungraded: int
    movements: dict[str, int] = field(default_factory=dict)
    stars_missed: list[tuple[str, str, int]] = field(default_factory=list)  # (code, name, n)


def cycle_figures(cycle: Cycle, files: QuerySet[Enrolment]) -> Figures:
    """The figures over `files` (the reader's files of the cycle), in a few queries."""
    rule = grading.rule_of(cycle.scheme)
    lowest = 0 if rule.kind == grading.STARS else 1
    ranks = [(r, rule.label(r)) for r in range(rule.top_rank, lowest - 1, -1)]
    rows = list(files.values_list("pk", "branch__kind", "rank", "status", "movement"))
    graded = {Enrolment.Status.ACCEPTED, Enrolment.Status.FIXED}
    counts = Counter((kind, rank) for _pk, kind, rank, status, _m in rows if status in graded)
    by_kind = []
    for kind, label in PartyBranch.Kind.choices:
        per_rank = [(r, counts.get((kind, r), 0)) for r, _label in ranks]
        by_kind.append((str(kind), str(label), per_rank, sum(n for _r, n in per_rank)))
    movements = Counter(m for *_x, status, m in rows if m and status == Enrolment.Status.FIXED)
    last = max((lv.order for lv in cycle.scheme.levels.all()), default=1)
    graded_ids = [pk for pk, _k, _r, status, _m in rows if status in graded]
    dimension_of = {p.code: d.code for d in rule.dimensions for p in d.points}
    totals: dict[tuple[int, str], Decimal] = {}
    for enrolment_id, code, points in Score.objects.filter(
        enrolment_id__in=graded_ids, level=last
    ).values_list("enrolment_id", "point__code", "points"):
        key = (enrolment_id, dimension_of.get(code, ""))
        totals[key] = totals.get(key, Decimal(0)) + points
    missed = [
        (d.code, d.name, sum(1 for pk in graded_ids if totals.get((pk, d.code), 0) < d.mark))
        for d in rule.dimensions
    ]
    missed.sort(key=lambda row: -row[2])
    return Figures(
        ranks=ranks,
        by_kind=by_kind,
        ungraded=sum(1 for *_x, status, _m in rows if status not in graded),
        movements=dict(movements),
        stars_missed=missed,
    )
