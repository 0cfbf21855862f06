"""Figures of the rolls (救助统计): per programme and period, by community (片区) or grid.

Definitions (one place, as civgrid/reports/indicators.py does for the ledger):
- *amount paid*: the sum of the lines of **locked** runs whose month lies in the period —
  money that has left, adjustments included (a death taken back lowers the month it is
  paid in, not the month it corrects);
- *persons* and *households*: the enrolments paid a regular line in such a run, counted once
  each (persons covered, distinct register households);
- *new*: enrolments that started in the period and were approved (imported or later);
- *ended*: enrolments whose approved end lies in the period.
A period is [start, end) in local days; months are the runs' months.
The seed's sentence (002: "城乡低保金282.4万元，惠及569户1031人…") is `sentence(rows)`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from civgrid.assistance.models import Beneficiary, PaymentLine, PaymentRun, Programme
from civgrid.assistance.queries import civil_affairs_programme_ids
from civgrid.lib import xlsx
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.org.scope import scope_of

GROUPS = ("programme", "community", "grid")


@dataclass
class Row:
    programme: Programme
    key: str = ""  # the community or grid name ("" when grouped by programme only)
    amount: Decimal = Decimal("0.00")
    new: int = 0
    ended: int = 0
    _people: dict[int, int] = field(default_factory=dict)  # beneficiary -> persons
    _households: set[int] = field(default_factory=set)

    @property
    def persons(self) -> int:
        return sum(self._people.values())

    @property
    def households(self) -> int:
        return len(self._households)

    @property
    def enrolments(self) -> int:
        return len(self._people)


def programmes_for_figures(user: AnyUser | None) -> QuerySet[Programme]:
    if role_of(user) == Role.OFFICE:
        return Programme.objects.filter(unit__in=scope_of(user).units())
    return Programme.objects.filter(pk__in=civil_affairs_programme_ids(user))


def _group_key(household_grid: object, group: str) -> str:
    grid = household_grid
    if group == "grid":
        return str(getattr(grid, "name", ""))
    if group == "community":
        parent = getattr(grid, "parent", None)
        return str(getattr(parent, "name", ""))
    return ""


def figures(
    user: AnyUser | None, start: dt.date, end: dt.date, group: str = "programme"
) -> list[Row]:
    """The rows the user may see (office: its scope; 民政: its programmes in its scope)."""
    if group not in GROUPS:
        group = "programme"
    programmes = list(programmes_for_figures(user).order_by("code"))
    scope = scope_of(user)
    rows: dict[tuple[int, str], Row] = {}

    def row(programme: Programme, key: str) -> Row:
        return rows.setdefault((programme.pk, key), Row(programme, key))

    by_pk = {p.pk: p for p in programmes}
    lines = (
        PaymentLine.objects.filter(
            run__programme__in=programmes,
            run__status=PaymentRun.Status.LOCKED,
            run__month__gte=start,
            run__month__lt=end,
        )
        .filter(scope.q("run__district"))
        .select_related("beneficiary__household__grid__parent")
    )
    for line in lines.iterator(chunk_size=2000):
        b = line.beneficiary
        r = row(by_pk[b.programme_id], _group_key(b.household.grid, group))
        r.amount += line.amount
        if line.kind == PaymentLine.Kind.REGULAR:
            r._people[b.pk] = max(r._people.get(b.pk, 0), line.persons)
            r._households.add(b.household_id)
    enrolments = (
        Beneficiary.objects.filter(programme__in=programmes)
        .filter(scope.q("household__grid"))
        .select_related("household__grid__parent")
    )
    for b in enrolments.filter(
        starts_on__gte=start, starts_on__lt=end, status__in=Beneficiary.PAID
    ):
        row(by_pk[b.programme_id], _group_key(b.household.grid, group)).new += 1
    for b in enrolments.filter(
        status=Beneficiary.Status.ENDED, ends_on__gte=start, ends_on__lt=end
    ):
        row(by_pk[b.programme_id], _group_key(b.household.grid, group)).ended += 1
    return sorted(rows.values(), key=lambda r: (r.programme.code, r.key))


def wan(amount: Decimal) -> str:
    """An amount in 万元 as newspapers print it: 2824000 → "282.4"."""
    value = (amount / Decimal(10000)).quantize(Decimal("0.1"))
    return f"{value.normalize():f}"


def sentence(rows: list[Row]) -> str:
    """The seed's sentence from programme rows: "城乡低保金282.4万元，惠及569户1031人；…"."""
    parts = []
    for r in rows:
        if r.key:
            continue
        if r.programme.kind in (Programme.Kind.DIBAO_URBAN, Programme.Kind.DIBAO_RURAL):
            whom = f"{r.households}户{r.persons}人"
        else:
            whom = f"{r.persons}人"
        money = f"{wan(r.amount)}万元" if abs(r.amount) >= 10000 else f"{r.amount:.0f}元"
        parts.append(f"{r.programme.name}{money}，惠及{whom}")
    return "；".join(parts) + ("。" if parts else "")


def workbook(rows: list[Row], *, caption: str) -> bytes:
    book = xlsx.new_workbook()
    ws = xlsx.sheet(
        book,
        "救助统计",
        [
            ("项目", 18),
            ("社区/网格", 18),
            ("户数", 10),
            ("人数", 10),
            ("发放金额（元）", 16),
            ("新增", 8),
            ("停保", 8),
        ],
        caption=caption,
    )
    for r in rows:
        xlsx.append(
            ws, [r.programme.name, r.key, r.households, r.persons, r.amount, r.new, r.ended]
        )
    xlsx.append(ws, [sentence([r for r in rows if not r.key])])
    return xlsx.to_bytes(book)
