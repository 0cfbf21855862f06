"""Keeping the indicators' tables (civgrid/reports/models.py) in step with the ledger.

Every save of a case, of a register or submit event (立案, 处置反馈) and of a finding calls
`refresh_case` inside the transaction of the change (post_save receivers connected in
ReportsConfig.ready, as civgrid/notices does), so the figures never lag the ledger and a change
rolled back takes its figures with it. `refresh_case` reads the case back from the database and
writes its fact row again: whatever the action (re-opening, rework, a move between units, a
deadline extended), the row ends equal to what `rebuild` would write, because both go through
`_fact_values` — the one definition of a case's figures.

`rebuild` (the `civgrid rebuild-aggregates` command) writes every row again from the raw ledger,
in chunks of case ids, for a ledger loaded outside the actions (bench data, a restored backup) or after a
region moved in the tree.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, Min, OuterRef, QuerySet, Subquery

from civgrid.cases.models import Case, CaseEvent
from civgrid.cases.workflow import CLOSED_VALUES, Status
from civgrid.reports.models import CaseFact
from civgrid.territory.models import Region

# The events whose rows the figures read (the others change nothing the indicators count).
EVENT_ACTIONS = frozenset({"register", "submit"})

_FIELDS = (
    "id",
    "grid_id",
    "grid__parent_id",
    "grid__path",
    "unit_id",
    "category_id",
    "source",
    "finding__standard_id",
    "created_at",
    "closed_at",
    "due_at",
    "status",
    "rework_count",
    "fixed_on_spot",
    "replied_at",
    "satisfaction",
    "registered_at_",
    "late_submit_",
)


def _annotated(cases: QuerySet[Case]) -> QuerySet[Case]:
    first_register = (
        CaseEvent.objects.filter(case=OuterRef("pk"), action="register")
        .order_by()
        .values("case")
        .annotate(at=Min("created_at"))
        .values("at")
    )
    late_submit = CaseEvent.objects.filter(
        case=OuterRef("pk"), action="submit", created_at__gte=OuterRef("due_at")
    )
    return cases.annotate(
        registered_at_=Subquery(first_register), late_submit_=Exists(late_submit)
    ).order_by()


def districts_by_path() -> dict[str, int]:
    """Every district's path → id (a few rows, read once per refresh or rebuild)."""
    return dict(Region.objects.filter(level=Region.Level.DISTRICT).values_list("path", "pk"))


def _district(path: str | None, districts: dict[str, int]) -> int | None:
    if not path:
        return None
    parts = path.strip("/").split("/")
    for depth in range(1, len(parts) + 1):
        found = districts.get("/" + "/".join(parts[:depth]) + "/")
        if found is not None:
            return found
    return None


def _fact_values(row: dict[str, Any], districts: dict[str, int]) -> dict[str, Any]:
    """A case's fact row from its values (the one definition, for refresh and rebuild)."""
    status = row["status"]
    closed_at = row["closed_at"]
    duration = None
    if status == Status.CLOSED and closed_at is not None:
        delta = closed_at - row["created_at"]
        duration = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return {
        "case_id": row["id"],
        "district_id": _district(row["grid__path"], districts),
        "area_id": row["grid__parent_id"],
        "grid_id": row["grid_id"],
        "unit_id": row["unit_id"],
        "category_id": row["category_id"],
        "source": row["source"],
        "standard_id": row["finding__standard_id"],
        "created_at": row["created_at"],
        "registered_at": row["registered_at_"],
        "closed_at": closed_at,
        "due_at": row["due_at"],
        "closed": status == Status.CLOSED,
        "finished": status in CLOSED_VALUES,
        "valid": status not in (Status.REJECTED, Status.DUPLICATE),
        "late_submit": bool(row["late_submit_"]),
        "reworked": row["rework_count"] > 0,
        "fixed_on_spot": row["fixed_on_spot"],
        "replied": row["replied_at"] is not None,
        "satisfaction": row["satisfaction"],
        "duration_us": duration,
    }


def refresh_case(case_id: int) -> None:
    """Write the case's fact row again from the ledger (inside the caller's transaction)."""
    row = _annotated(Case.objects.filter(pk=case_id)).values(*_FIELDS).first()
    if row is None:
        CaseFact.objects.filter(case_id=case_id).delete()
        return
    values = _fact_values(row, districts_by_path())
    values.pop("case_id")
    CaseFact.objects.update_or_create(case_id=case_id, defaults=values)


def _plain_fields() -> list[str]:
    return [f for f in _FIELDS if not f.endswith("_")]


def _event_answers(lo: int, hi: int) -> tuple[dict[int, Any], list[tuple[int, Any]]]:
    """For the cases lo <= id < hi: the first register event's time, and every submit event
    (case id, time), read with two range scans instead of a subquery per case."""
    registered: dict[int, Any] = {}
    events = CaseEvent.objects.filter(
        case_id__gte=lo, case_id__lt=hi, action__in=sorted(EVENT_ACTIONS)
    ).order_by()
    submits = []
    for case_id, action, at in events.values_list("case_id", "action", "created_at").iterator():
        if action == "register":
            if case_id not in registered or at < registered[case_id]:
                registered[case_id] = at
        else:
            submits.append((case_id, at))
    return registered, submits


def rebuild(*, chunk_size: int = 5000) -> int:
    """Every fact row again from the raw ledger, in one transaction; the number of cases.

    Chunk by chunk of case ids: the cases' values, their register and submit events, the same
    `_fact_values` as refresh_case (the late-submit test done in Python: a submit event at or
    after the deadline, as the Exists of `_annotated`).
    """
    districts = districts_by_path()
    total = 0
    with transaction.atomic():
        CaseFact.objects.all().delete()
        ids = Case.objects.order_by("pk").values_list("pk", flat=True)
        first, last = ids.first(), ids.last()
        if first is None or last is None:
            return 0
        for lo in range(first, last + 1, chunk_size):
            hi = lo + chunk_size
            rows = list(
                Case.objects.filter(pk__gte=lo, pk__lt=hi).order_by().values(*_plain_fields())
            )
            if not rows:
                continue
            registered, submits = _event_answers(lo, hi)
            due = {r["id"]: r["due_at"] for r in rows}
            late = {c for c, at in submits if due.get(c) is not None and at >= due[c]}
            facts = []
            for row in rows:
                row["registered_at_"] = registered.get(row["id"])
                row["late_submit_"] = row["id"] in late
                facts.append(_fact_values(row, districts))
            _insert(facts)
            total += len(rows)
    return total


def _insert(facts: list[dict[str, Any]]) -> None:
    """Many fact rows at once: COPY on PostgreSQL, one executemany on SQLite (bulk_create's
    per-value preparation took most of a rebuild's time, bench/district.py)."""
    fields = CaseFact._meta.concrete_fields
    table = connection.ops.quote_name(CaseFact._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for fact in facts:
                    copy.write_row([fact[f.attname] for f in fields])
            return
        adapt = connection.ops.adapt_datetimefield_value
        stamps = {f.attname for f in fields if f.get_internal_type() == "DateTimeField"}
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [
                [adapt(fact[f.attname]) if f.attname in stamps else fact[f.attname] for f in fields]
                for fact in facts
            ],
        )


# --- the receivers (connected in ReportsConfig.ready) ------------------------------------------


def on_case_saved(sender: Any, instance: Case, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: the command rebuilds afterwards
        return
    refresh_case(instance.pk)


def on_case_event_saved(
    sender: Any, instance: CaseEvent, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    if raw or instance.action not in EVENT_ACTIONS:
        return
    refresh_case(instance.case_id)


def on_finding_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    refresh_case(instance.case_id)
