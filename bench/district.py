"""Benchmark: the dashboard and ranking queries and the exports at district scale.

    .venv/bin/python bench/district.py [--cases 1000000] [--repeat 5] [--export-rows 100000]
    .venv/bin/python bench/district.py --database-url postgres://postgres@127.0.0.1:5432/civgrid_district
    .venv/bin/python bench/district.py --reuse          # time again on the ledger already built

Builds the demo district's standing data (326 grids, sites, units, people, categories) into a
fresh database (a SQLite file under /tmp by default), then writes --cases cases over the two
years before today with realistic statuses and dates: COPY on PostgreSQL, executemany in large
transactions on SQLite, then ANALYZE. It times (median of --repeat runs):
- civgrid.reports.indicators: `compute` for a month and a quarter, whole and grouped by unit,
  grid and category, `rank` of units, the overdue count;
- the same aggregates written as plain SQL on a raw cursor;
- the ledger Excel export of --export-rows rows (seconds and peak Python memory) and the Word
  bulletin.
and prints a table: query, ORM ms, SQL ms, ratio (ORM / SQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.settings_test")
os.environ.setdefault("CIVGRID_VAR_DIR", "/tmp/civgrid-district-var")

DEFAULT_URL = "sqlite:////tmp/civgrid-district.sqlite3"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=730, help="the ledger spans this many days")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument(
        "--reuse", action="store_true", help="keep the database if it already holds the cases"
    )
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--skip-exports", action="store_true")
    parser.add_argument(
        "--without",
        default="",
        help="comma-separated index names to drop before timing (to measure what they bring)",
    )
    return parser.parse_args(argv)


# --- the database ---------------------------------------------------------------------------


def reset_database(url: str) -> None:
    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        import psycopg

        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}"')
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    connection.close()


# --- the ledger -----------------------------------------------------------------------------

# Status of a case by its age: old cases are mostly closed, recent ones mostly open.
OPEN_MIX = (
    ("reported", 8),
    ("registered", 4),
    ("assigned", 14),
    ("in_progress", 40),
    ("submitted", 14),
    ("rework", 6),
    ("returned", 3),
)
SOURCES = ("inspection", "supervision", "home_visit", "resident", "self_check", "hotline", "patrol")
SOURCE_WEIGHTS = (12, 8, 10, 18, 6, 16, 30)
URGENCIES = ("normal", "urgent", "critical")
URGENCY_WEIGHTS = (85, 12, 3)
PROBLEMS = (
    "路口占道经营，摊位堵塞人行道",
    "小区楼道堆放杂物",
    "背街小巷垃圾乱堆",
    "非机动车乱停乱放",
    "公益广告破损",
    "绿化带黄土裸露",
    "消防通道被占用",
    "沿街门店油烟直排",
    "公厕保洁不到位",
    "道路破损坑洼",
    "乱贴乱画小广告",
    "私搭乱建",
)


def _weighted(rng: random.Random, items: tuple[Any, ...], weights: tuple[int, ...]) -> Any:
    return rng.choices(items, weights)[0]


def case_rows(
    district: Any, n: int, rng: random.Random, end: dt.datetime, days: int
) -> Iterator[dict[str, Any]]:
    """n cases over the `days` before `end`, oldest first. Deadlines are approximate (calendar
    days, not working days): the benchmark needs their shape, not their exactness."""
    grids = district.grids
    sites = district.sites_by_grid
    categories = district.categories
    default_units = [c.default_unit_id for c in categories]
    unit_ids = [u.pk for u in district.units.values()]
    span = days * 86400
    start = end - dt.timedelta(days=days)
    offsets = sorted(rng.random() * span for _ in range(n))
    for i, offset in enumerate(offsets):
        created = start + dt.timedelta(seconds=offset)
        age_days = (end - created).total_seconds() / 86400
        g = rng.randrange(len(grids))
        c = rng.randrange(len(categories))
        site = rng.choice(sites[g]).pk if sites[g] and rng.random() < 0.6 else None
        urgency = _weighted(rng, URGENCIES, URGENCY_WEIGHTS)
        source = _weighted(rng, SOURCES, SOURCE_WEIGHTS)
        unit = default_units[c] if rng.random() < 0.8 else rng.choice(unit_ids)
        row: dict[str, Any] = {
            "id": i + 1,
            "tracking_code": f"D{i:010d}",
            "source": source,
            "category_id": categories[c].pk,
            "urgency": urgency,
            "description": rng.choice(PROBLEMS),
            "address": f"{district.grid_streets[g][0]}{rng.randint(1, 300)}号",
            "grid_id": grids[g].pk,
            "site_id": site,
            "created_at": created,
            "updated_at": created,
            "fixed_on_spot": False,
            "rework_count": 0,
            "satisfaction": None,
            "unit_id": None,
            "assigned_at": None,
            "due_at": None,
            "closed_at": None,
            "reply": "",
            "replied_at": None,
        }
        # Probability of being closed grows with age: a month-old case is usually closed.
        p_closed = min(0.97, 0.15 + age_days / 30)
        if rng.random() < 0.12 and source in ("patrol", "inspection"):
            row.update(
                status="closed", fixed_on_spot=True, closed_at=created + dt.timedelta(minutes=30)
            )
        elif rng.random() < p_closed:
            if rng.random() < 0.06:
                row.update(
                    status=rng.choice(("rejected", "duplicate")),
                    closed_at=created + dt.timedelta(hours=rng.randint(2, 48)),
                )
            else:
                assigned = created + dt.timedelta(hours=rng.uniform(1, 30))
                allowed = (5, 2, 1)[URGENCIES.index(urgency)] * 1.4
                took = rng.lognormvariate(1.2, 0.7)  # days; some run late
                row.update(
                    status="closed",
                    unit_id=unit,
                    assigned_at=assigned,
                    due_at=assigned + dt.timedelta(days=allowed),
                    closed_at=min(end, assigned + dt.timedelta(days=took)),
                    rework_count=1 if rng.random() < 0.08 else 0,
                )
            if row["closed_at"] and rng.random() < 0.7:
                row.update(
                    reply="已整改完毕，感谢您的反映",
                    replied_at=row["closed_at"] + dt.timedelta(hours=2),
                    satisfaction=_weighted(rng, (5, 4, 3, 2, 1), (60, 25, 8, 4, 3)),
                )
        else:
            status = _weighted(rng, tuple(s for s, _w in OPEN_MIX), tuple(w for _s, w in OPEN_MIX))
            row["status"] = status
            if status not in ("reported", "registered"):
                assigned = created + dt.timedelta(hours=rng.uniform(1, 30))
                allowed = (5, 2, 1)[URGENCIES.index(urgency)] * 1.4
                row.update(
                    unit_id=unit,
                    assigned_at=assigned,
                    due_at=assigned + dt.timedelta(days=allowed),
                    rework_count=1 if status == "rework" else 0,
                )
        row["updated_at"] = row["closed_at"] or row["assigned_at"] or created
        row["_events"] = _events(row, rng)
        yield row


def _events(row: dict[str, Any], rng: random.Random) -> list[tuple[str, dt.datetime, str, str]]:
    """The history the indicators read (立案, 交办, 处置反馈, 销号): (action, at, from, to)."""
    status, created = row["status"], row["created_at"]
    if row["fixed_on_spot"]:
        return [("fix_on_spot", row["closed_at"], "reported", "closed")]
    if status == "reported":
        return []
    registered = created + dt.timedelta(minutes=rng.randint(10, 50))
    if status in ("rejected", "duplicate"):
        return [
            (
                status[:-2] if status == "rejected" else "mark_duplicate",
                row["closed_at"],
                "reported",
                status,
            )
        ]
    events = [("register", registered, "reported", "registered")]
    if row["assigned_at"] is None:
        return events
    events.append(("assign", row["assigned_at"], "registered", "assigned"))
    if status == "closed":
        submitted = row["closed_at"] - dt.timedelta(hours=rng.uniform(1, 20))
        submitted = max(submitted, row["assigned_at"] + dt.timedelta(minutes=30))
        events.append(("submit", submitted, "in_progress", "submitted"))
        events.append(("verify_pass", row["closed_at"], "submitted", "closed"))
    elif status in ("submitted", "rework"):
        at = row["assigned_at"] + dt.timedelta(hours=rng.uniform(2, 60))
        events.append(("submit", at, "in_progress", "submitted"))
    return events


BATCH = 50_000


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(table: str, columns: list[str], rows: list[list[Any]]) -> None:
    """COPY on PostgreSQL, one executemany on SQLite; the caller holds the transaction."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            adapt = connection.ops.adapt_datetimefield_value
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                [[adapt(v) if isinstance(v, dt.datetime) else v for v in row] for row in rows],
            )


def load_cases(district: Any, n: int, seed: int, days: int) -> tuple[float, int]:
    """Write the cases and their events in bulk; returns (seconds, events written)."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from civgrid.cases.models import Case, CaseEvent

    rng = random.Random(seed)
    end = timezone.now().replace(microsecond=0)
    fields = list(Case._meta.concrete_fields)
    columns = [f.column for f in fields]
    fixed = {"reporter_name": "", "reporter_phone": "", "extension_reason": "", "version": 1}
    event_columns = [
        "id",
        "case_id",
        "action",
        "actor_name",
        "actor_role",
        "created_at",
        "from_status",
        "to_status",
        "note",
        "data",
    ]
    t0 = time.perf_counter()
    event_id = 0
    for batch in _batches(case_rows(district, n, rng, end, days)):
        events = []
        for row in batch:
            for action, at, before, after in row["_events"]:
                event_id += 1
                events.append([event_id, row["id"], action, "", "", at, before, after, "", "{}"])
        with transaction.atomic():
            _write(
                Case._meta.db_table,
                columns,
                [[row.get(f.attname, fixed.get(f.attname)) for f in fields] for row in batch],
            )
            _write(CaseEvent._meta.db_table, event_columns, events)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent]):
            cursor.execute(sql)
        cursor.execute("ANALYZE")
    return time.perf_counter() - t0, event_id


def build(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from civgrid.cases.models import Case
    from civgrid.demo.district import build_district

    reset_database(args.database_url)
    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    with transaction.atomic():
        district = build_district(random.Random(args.seed), seed=args.seed)
    standing = time.perf_counter() - t0
    seconds, events = load_cases(district, args.cases, args.seed, args.days)
    print(
        f"built on {connection.vendor}: standing data {standing:.1f} s, "
        f"{Case.objects.count():,} cases and {events:,} events in {seconds:.1f} s"
    )
    ensure_aggregates(force=True)


def ensure_aggregates(*, force: bool = False) -> None:
    """The indicators' fact rows for a ledger written outside the actions (COPY), timed: what
    `civgrid rebuild-aggregates` costs at this size."""
    from django.db import connection

    from civgrid.cases.models import Case
    from civgrid.reports import aggregates
    from civgrid.reports.models import CaseFact

    if CaseFact._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(CaseFact)
    if not force and CaseFact.objects.count() == Case.objects.count():
        return
    t0 = time.perf_counter()
    n = aggregates.rebuild(chunk_size=20_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"rebuild-aggregates: {n:,} cases in {time.perf_counter() - t0:.1f} s")


def sync_indexes(without: set[str]) -> list[str]:
    """Create the indexes the models declare and the reused database lacks (a ledger built
    before an index was added), without migrating the other apps, and drop those named in
    `without`; then ANALYZE."""
    from django.db import connection

    from civgrid.cases.models import Case, CaseEvent
    from civgrid.worklogs.models import WorkLog

    added = []
    if WorkLog._meta.db_table not in connection.introspection.table_names():
        with connection.schema_editor() as editor:
            editor.create_model(WorkLog)  # the bulletin sums the work logs
        added.append(WorkLog._meta.db_table)
    for model in (Case, CaseEvent):
        with connection.cursor() as cursor:
            existing = connection.introspection.get_constraints(cursor, model._meta.db_table)
        for index in model._meta.indexes:
            if index.name in without and index.name in existing:
                with connection.schema_editor() as editor:
                    editor.remove_index(model, index)
                added.append(f"-{index.name}")
            elif index.name not in existing and index.name not in without:
                with connection.schema_editor() as editor:
                    editor.add_index(model, index)
                added.append(index.name)
    if added:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added


def has_ledger(n: int) -> bool:
    from django.db import connection
    from django.db.utils import DatabaseError

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM cases_case")
            return int(cursor.fetchone()[0]) >= n
    except DatabaseError:
        return False


# --- the same aggregates as plain SQL ------------------------------------------------------

CLOSED_SQL = "('closed', 'duplicate', 'rejected')"
GROUP_COLUMNS = {"unit": "c.unit_id", "grid": "c.grid_id", "category": "c.category_id"}
LABEL_TABLES = {"unit": "org_unit", "grid": "territory_region", "category": "cases_category"}


def _duration_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "EXTRACT(EPOCH FROM (c.closed_at - c.created_at))"
    return "(julianday(c.closed_at) - julianday(c.created_at)) * 86400.0"


def _params(period: Any, now: dt.datetime) -> dict[str, Any]:
    from django.db import connection

    values = {"s": period.start_at, "e": period.end_at, "a": period.as_of(now)}
    if connection.vendor == "sqlite":
        return {k: connection.ops.adapt_datetimefield_value(v) for k, v in values.items()}
    return values


def _conditions_sql() -> dict[str, str]:
    """The conditions of civgrid.reports.indicators, by hand."""
    created = "c.created_at >= %(s)s AND c.created_at < %(e)s"
    finished = f"c.status IN {CLOSED_SQL} AND c.closed_at >= %(s)s AND c.closed_at < %(e)s"
    closed = "c.status = 'closed' AND c.closed_at >= %(s)s AND c.closed_at < %(e)s"
    valid = f"({created}) AND c.status NOT IN ('rejected', 'duplicate')"
    late = (
        "EXISTS (SELECT 1 FROM cases_caseevent e WHERE e.case_id = c.id "
        "AND e.action = 'submit' AND e.created_at >= c.due_at)"
    )
    registered = (
        "c.id IN (SELECT case_id FROM cases_caseevent WHERE action = 'register' "
        "AND created_at >= %(s)s AND created_at < %(e)s)"
    )
    open_ = "c.created_at <= %(a)s AND (c.closed_at IS NULL OR c.closed_at > %(a)s)"
    resident = "c.source IN ('resident', 'hotline')"
    rated = f"({finished}) AND c.satisfaction IS NOT NULL"
    return {
        "reported": created,
        "registered": registered,
        "closed": closed,
        "valid_reported": valid,
        "closed_of_reported": f"({valid}) AND c.status = 'closed' AND c.closed_at <= %(a)s",
        "on_time": f"({closed}) AND (c.due_at IS NULL OR NOT {late})",
        "late": f"({closed}) AND c.due_at IS NOT NULL AND {late}",
        "reworked": f"({closed}) AND c.rework_count > 0",
        "open": open_,
        "overdue": f"({open_}) AND c.due_at <= %(a)s",
        "fixed_on_spot": f"({closed}) AND c.fixed_on_spot",
        "replies_due": f"({finished}) AND {resident}",
        "replied": f"({finished}) AND {resident} AND c.replied_at IS NOT NULL",
        "rated": rated,
        "satisfied": f"({rated}) AND c.satisfaction >= 4",
        "@where": f"({created}) OR ({finished}) OR ({registered}) OR ({open_})",
    }


def sql_compute(period: Any, now: dt.datetime, group: str | None) -> dict[Any, dict[str, Any]]:
    """compute(period, group_by=group) by hand: one aggregate, the P90 window, the labels."""
    from django.db import connection

    cond = _conditions_sql()
    dur = _duration_sql(connection.vendor)
    counts = [k for k in cond if not k.startswith("@")]
    selects = [f"COUNT(*) FILTER (WHERE {cond[k]}) AS {k}" for k in counts]
    selects.append(f"AVG({dur}) FILTER (WHERE {cond['closed']}) AS avg_seconds")
    selects.append(f"AVG(c.satisfaction) FILTER (WHERE {cond['rated']}) AS satisfaction_avg")
    column = GROUP_COLUMNS[group] if group else "NULL"
    sql = f"SELECT {column} AS grp, {', '.join(selects)} FROM cases_case c WHERE {cond['@where']}"
    if group:
        sql += f" GROUP BY {column}"
    p90_sql = (
        "SELECT grp, dur FROM (SELECT grp, dur, "
        "ROW_NUMBER() OVER (PARTITION BY grp ORDER BY dur, id) AS rn, "
        "COUNT(*) OVER (PARTITION BY grp) AS n FROM ("
        f"SELECT {column} AS grp, c.id, {dur} AS dur FROM cases_case c "
        f"WHERE {cond['closed']}) AS closed_cases) AS ranked "
        "WHERE rn * 10 >= n * 9 AND rn * 10 < n * 9 + 10"
    )
    params = _params(period, now)
    out: dict[Any, dict[str, Any]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        for row in cursor.fetchall():
            out[row[0]] = dict(zip(names, row, strict=True))
        cursor.execute(p90_sql, params)
        for grp, seconds in cursor.fetchall():
            if grp in out:
                out[grp]["p90_seconds"] = seconds
        if group:
            keys = [k for k in out if k is not None]
            if keys:
                marks = ", ".join(["%s"] * len(keys))
                cursor.execute(
                    f"SELECT id, name FROM {LABEL_TABLES[group]} WHERE id IN ({marks})", keys
                )
                for pk, name in cursor.fetchall():
                    out[pk]["label"] = name
    return out


def sql_rank(period: Any, now: dt.datetime) -> list[tuple[Any, float]]:
    """rank(period, "unit", "closure_rate") by hand: only the two counts the rate needs."""
    from django.db import connection

    cond = _conditions_sql()
    sql = (
        "SELECT c.unit_id, COUNT(*) AS valid, "
        f"COUNT(*) FILTER (WHERE c.status = 'closed' AND c.closed_at <= %(a)s) AS done "
        f"FROM cases_case c WHERE {cond['valid_reported']} AND c.unit_id IS NOT NULL "
        "GROUP BY c.unit_id ORDER BY 1.0 * COUNT(*) FILTER (WHERE c.status = 'closed' "
        "AND c.closed_at <= %(a)s) / COUNT(*) DESC, COUNT(*) DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(period, now))
        return [(unit, 100.0 * done / valid) for unit, valid, done in cursor.fetchall()]


def sql_overdue(now: dt.datetime) -> int:
    from django.db import connection

    value = connection.ops.adapt_datetimefield_value(now) if connection.vendor == "sqlite" else now
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM cases_case WHERE due_at <= %s AND status NOT IN {CLOSED_SQL}",
            [value],
        )
        return int(cursor.fetchone()[0])


def sql_export_rows(limit: int) -> int:
    """The rows of the ledger export, fetched on a raw cursor (the database's share)."""
    from django.db import connection

    sql = (
        "SELECT c.tracking_code, c.source, k.name, c.description, c.address, g.name, a.name, "
        "u.name, c.created_at, c.assigned_at, c.due_at, c.closed_at, c.status, "
        "c.fixed_on_spot, c.rework_count, c.reply, c.satisfaction FROM cases_case c "
        "JOIN cases_category k ON k.id = c.category_id "
        "LEFT JOIN territory_region g ON g.id = c.grid_id "
        "LEFT JOIN territory_region a ON a.id = g.parent_id "
        "LEFT JOIN org_unit u ON u.id = c.unit_id ORDER BY c.created_at, c.id LIMIT %s"
    )
    n = 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [limit])
        while rows := cursor.fetchmany(2000):
            n += len(rows)
    return n


# --- timing ---------------------------------------------------------------------------------


def median_ms(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    result = fn()  # warm-up: both sides start with the same caches
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _same(orm_rows: list[Any], sql_rows: dict[Any, dict[str, Any]]) -> bool:
    """The hand-written SQL counts what the ORM counts (a check on the comparison)."""
    for row in orm_rows:
        other = sql_rows.get(row.group)
        if other is None:
            return False
        for key in ("reported", "closed", "registered", "on_time", "open", "overdue", "replied"):
            if row.counts[key] != other[key]:
                return False
    return True


def run_timings(args: argparse.Namespace) -> None:
    import resource
    import tempfile
    import tracemalloc

    from django.db import connection
    from django.utils import timezone

    from civgrid.bulletins.bulletin import write_bulletin
    from civgrid.bulletins.ledger import ledger_cases, write_ledger
    from civgrid.cases.models import Case
    from civgrid.cases.queries import overdue_q
    from civgrid.org.models import Person, Role
    from civgrid.reports import indicators
    from civgrid.reports.periods import Period

    now = timezone.now()
    office = Person.objects.filter(role=Role.OFFICE).select_related("user").first()
    assert office is not None and office.user is not None
    user = office.user
    # The last whole month and quarter: a dashboard's usual questions.
    month = Period.current("month", now).previous()
    quarter = Period.current("quarter", now).previous()
    total = Case.objects.count()
    print(f"\n{connection.vendor}, {total:,} cases; median of {args.repeat} runs after a warm-up")
    print(
        "ORM ms: civgrid.reports.indicators as the pages call it (the fact rows kept in step);\n"
        "live ms: the same on the raw ledger (live=True); SQL ms: the raw-ledger query by hand;\n"
        "ratio: ORM / SQL; same: the figures agree (ORM with SQL, and with live)."
    )
    header = f"{'query':<36} {'ORM ms':>9} {'live ms':>9} {'SQL ms':>9} {'ratio':>7}  same"
    print(header)
    print("-" * len(header))

    def line(
        name: str, orm: float, sql: float | None, same: bool | None, live: float | None = None
    ) -> None:
        ratio = f"{orm / sql:7.2f}" if sql else "      —"
        sql_text = f"{sql:9.1f}" if sql is not None else f"{'—':>9}"
        live_text = f"{live:9.1f}" if live is not None else f"{'—':>9}"
        mark = "" if same is None else ("yes" if same else "NO")
        print(f"{name:<36} {orm:9.1f} {live_text} {sql_text} {ratio}  {mark}", flush=True)

    for label, period in (("month", month), ("quarter", quarter)):
        for group in (None, "unit", "grid", "category", "district"):
            name = f"compute {label}" + (f" by {group}" if group else "")
            orm_ms, orm_rows = median_ms(
                lambda p=period, g=group: indicators.compute(p, user=user, group_by=g, now=now),
                args.repeat,
            )
            live_ms, live_rows = median_ms(
                lambda p=period, g=group: indicators.compute(
                    p, user=user, group_by=g, now=now, live=True
                ),
                max(1, args.repeat // 2),
            )
            agree = [r.as_dict() for r in orm_rows] == [r.as_dict() for r in live_rows]
            if group in GROUP_COLUMNS or group is None:
                sql_ms, sql_rows = median_ms(
                    lambda p=period, g=group: sql_compute(p, now, g), args.repeat
                )
                line(name, orm_ms, sql_ms, _same(orm_rows, sql_rows) and agree, live_ms)
            else:
                line(name, orm_ms, None, agree, live_ms)
    orm_ms, ranked = median_ms(
        lambda: indicators.rank(month, "unit", "closure_rate", user=user, now=now), args.repeat
    )
    sql_ms, sql_ranked = median_ms(lambda: sql_rank(month, now), args.repeat)
    same = sorted((r.row.group, round(r.value, 2)) for r in ranked if r.rank is not None) == sorted(
        (unit, round(rate, 2)) for unit, rate in sql_ranked
    )
    live_ms, _ = median_ms(
        lambda: indicators.rank(month, "unit", "closure_rate", user=user, now=now, live=True),
        max(1, args.repeat // 2),
    )
    line("rank units by closure rate (month)", orm_ms, sql_ms, same, live_ms)
    orm_ms, _ = median_ms(
        lambda: indicators.rank(month, "district", "on_time_rate", user=user, now=now),
        args.repeat,
    )
    line("rank districts by on-time rate", orm_ms, None, None)
    trend_keys = ["reported", "closed"]
    span = (month.start, month.end, "day")
    orm_ms, trend = median_ms(
        lambda: indicators.trends(span, trend_keys, user=user, now=now), args.repeat
    )
    live_ms, live_trend = median_ms(
        lambda: indicators.trends(span, trend_keys, user=user, now=now, live=True),
        max(1, args.repeat // 2),
    )
    line("trend reported+closed, month by day", orm_ms, None, trend == live_trend, live_ms)
    # What rank() would cost if it asked compute() for its indicator alone.
    orm_ms, only = median_ms(
        lambda: indicators.compute(
            month, user=user, group_by="unit", now=now, indicators=["closure_rate"]
        ),
        args.repeat,
    )
    same = sorted((r.group, r.closure_rate) for r in only if r.group is not None) == sorted(
        (unit, round(rate, 2)) for unit, rate in sql_ranked
    )
    line("  compute by unit, closure rate only", orm_ms, sql_ms, same)
    orm_ms, n_orm = median_ms(lambda: Case.objects.filter(overdue_q(now)).count(), args.repeat)
    sql_ms, n_sql = median_ms(lambda: sql_overdue(now), args.repeat)
    line("overdue count (now)", orm_ms, sql_ms, n_orm == n_sql)
    orm_ms, _ = median_ms(
        lambda: indicators.overdue_list(now, user=user)[:20].__len__(), args.repeat
    )
    line("overdue list, first 20", orm_ms, None, None)
    from django.test import Client

    client = Client()
    client.force_login(user)
    page_ms, response = median_ms(
        lambda: client.get("/reports/", {"period": month.key()}), args.repeat
    )
    line("dashboard page (HTTP, month)", page_ms, None, response.status_code == 200)
    page_ms, response = median_ms(
        lambda: client.get("/reports/rankings/", {"period": month.key()}), args.repeat
    )
    line("rankings page (HTTP, month)", page_ms, None, response.status_code == 200)
    if args.skip_exports:
        return

    rows = min(args.export_rows, total)
    cases = ledger_cases(user, {}, now)[:rows]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.xlsx"
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        written = write_ledger(path, cases, now)
        seconds = time.perf_counter() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        size = path.stat().st_size
        tracemalloc.start()
        write_ledger(path, ledger_cases(user, {}, now)[: max(1, rows // 10)], now)
        _cur, peak_small = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        write_ledger(path, cases, now)
        _cur, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        sql_ms, fetched = median_ms(lambda: sql_export_rows(rows), 1)
        line(f"ledger Excel, {written:,} rows", seconds * 1000, sql_ms, fetched == written)
        print(
            f"  file {size / 1e6:.1f} MB; peak Python memory {peak / 1e6:.1f} MB "
            f"({max(1, rows // 10):,} rows: {peak_small / 1e6:.1f} MB); "
            f"max RSS grew {(rss1 - rss0) / 1024:.0f} MB"
        )
        doc = Path(tmp) / "bulletin.docx"
        bulletin_ms, _ = median_ms(
            lambda: write_bulletin(doc, month, user=user, now=now), max(1, args.repeat // 2)
        )
        line(f"bulletin (Word), {month.key()}", bulletin_ms, None, None)
        print(f"  file {doc.stat().st_size / 1e3:.0f} kB")


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ["DATABASE_URL"] = args.database_url
    import django

    django.setup()

    if args.reuse and has_ledger(args.cases):
        added = sync_indexes({name for name in args.without.split(",") if name})
        print(f"reusing the ledger already built; indexes changed: {', '.join(added) or 'none'}")
        ensure_aggregates()
    else:
        build(args)
    if args.generate_only:
        return
    run_timings(args)


if __name__ == "__main__":
    main()
