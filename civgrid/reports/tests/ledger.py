"""A small ledger whose March 2024 figures were computed by hand (see the table below).

All times are Beijing time. `now` for the tests is 2024-04-10 12:00, after March ended, so
March's snapshot figures are taken at its last instant (Period.as_of).

| case | how it goes                                                        | in March            |
|------|--------------------------------------------------------------------|---------------------|
| c1   | reported 02-29 23:30, registered 03-01, due 03-05, closed 03-05    | registered, closed  |
| c2   | reported 03-31 23:30, left reported                                | reported, open      |
| c3   | reported 04-01 00:10                                                | nothing             |
| c4   | 03-02, due 03-10, submit, verify ✗ (rework), submit, closed 03-07  | closed, reworked    |
| c5   | 03-04, due 03-06, submitted 03-08 (late), closed 03-08 15:00       | closed late         |
| c6   | 03-11, due 03-12, submitted 03-12 20:00, verified 03-14 (late)     | closed ON TIME      |
| c7   | 03-12, due 03-15, accepted, never submitted                        | open, overdue       |
| c8   | 03-13, rejected                                                    | reported, invalid   |
| c9   | 03-14, merged as duplicate of c7                                   | reported, invalid   |
| c10  | resident 03-18, closed 03-19 15:00, replied, rated 5               | closed, replied     |
| c11  | grid worker 03-20, fixed on the spot                               | closed, on the spot |
| c12  | resident 03-21, rejected, no reply                                 | reply owed          |
| c13  | office hotline 03-25 in grid B, other unit, due 04-03              | open, not overdue   |
| c14  | 03-28, due 04-05, closed 04-02                                     | open at month end   |
| c15  | resident 03-22, closed 03-25 15:00, replied, rated 3               | closed, replied     |
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from civgrid.cases import actions
from civgrid.cases.models import Case, Source
from civgrid.testing import photo_upload, report

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2024, 4, 10, 12, 0, tzinfo=TZ)


def local(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TZ)


@contextmanager
def at(text: str) -> Any:
    with time_machine.travel(local(text), tick=False):
        yield


def _v(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def register(w: SimpleNamespace, case: Case) -> None:
    actions.register(case, actor=w.office.user, expected_version=_v(case))


def assign(w: SimpleNamespace, case: Case, due: str, unit: Any = None) -> None:
    actions.assign(
        case,
        actor=w.office.user,
        expected_version=_v(case),
        unit=unit or w.unit,
        due_on=dt.date.fromisoformat(due),
    )


def clerk_of(w: SimpleNamespace, case: Case) -> Any:
    case.refresh_from_db()
    return w.other_clerk if case.unit_id == w.other_unit.pk else w.clerk


def accept(w: SimpleNamespace, case: Case) -> None:
    actions.accept(case, actor=clerk_of(w, case).user, expected_version=_v(case))


def submit(w: SimpleNamespace, case: Case) -> None:
    actions.submit(
        case,
        actor=clerk_of(w, case).user,
        expected_version=_v(case),
        note="已整改",
        photos=[photo_upload()],
    )


def verify(w: SimpleNamespace, case: Case, ok: bool = True) -> None:
    if ok:
        actions.verify_pass(case, actor=w.inspector.user, expected_version=_v(case))
    else:
        actions.verify_fail(
            case, actor=w.inspector.user, expected_version=_v(case), reason="未整改"
        )


def reply_and_rate(w: SimpleNamespace, case: Case, score: int) -> None:
    actions.reply(case, actor=w.office.user, expected_version=_v(case), text="已处理")
    actions.rate(case, actor=w.resident.user, expected_version=_v(case), score=score)


def build_ledger(w: SimpleNamespace) -> SimpleNamespace:
    c = SimpleNamespace()
    with at("2024-02-29 23:30"):
        c.c1 = report(w)
    with at("2024-03-01 09:00"):
        register(w, c.c1)
        assign(w, c.c1, "2024-03-05")
        accept(w, c.c1)
    with at("2024-03-04 10:00"):
        submit(w, c.c1)
    with at("2024-03-05 10:00"):
        verify(w, c.c1)

    with at("2024-03-02 10:00"):
        c.c4 = report(w)
    with at("2024-03-02 11:00"):
        register(w, c.c4)
        assign(w, c.c4, "2024-03-10")
        accept(w, c.c4)
    with at("2024-03-04 10:00"):
        submit(w, c.c4)
    with at("2024-03-05 10:00"):
        verify(w, c.c4, ok=False)
    with at("2024-03-06 10:00"):
        submit(w, c.c4)
    with at("2024-03-07 10:00"):
        verify(w, c.c4)

    with at("2024-03-04 09:00"):
        c.c5 = report(w)
    with at("2024-03-04 10:00"):
        register(w, c.c5)
        assign(w, c.c5, "2024-03-06")
        accept(w, c.c5)
    with at("2024-03-08 09:00"):
        submit(w, c.c5)
    with at("2024-03-08 15:00"):
        verify(w, c.c5)

    with at("2024-03-11 09:00"):
        c.c6 = report(w)
    with at("2024-03-11 10:00"):
        register(w, c.c6)
        assign(w, c.c6, "2024-03-12")
        accept(w, c.c6)
    with at("2024-03-12 20:00"):
        submit(w, c.c6)
    with at("2024-03-14 09:00"):
        verify(w, c.c6)

    with at("2024-03-12 09:00"):
        c.c7 = report(w)
    with at("2024-03-12 10:00"):
        register(w, c.c7)
        assign(w, c.c7, "2024-03-15")
        accept(w, c.c7)

    with at("2024-03-13 09:00"):
        c.c8 = report(w)
    with at("2024-03-13 10:00"):
        actions.reject(c.c8, actor=w.office.user, expected_version=_v(c.c8), reason="不属实")

    with at("2024-03-14 09:00"):
        c.c9 = report(w)
    with at("2024-03-14 10:00"):
        actions.mark_duplicate(c.c9, actor=w.office.user, expected_version=_v(c.c9), original=c.c7)

    with at("2024-03-18 09:00"):
        c.c10 = report(w, by=w.resident)
    with at("2024-03-18 10:00"):
        register(w, c.c10)
        assign(w, c.c10, "2024-03-22")
        accept(w, c.c10)
    with at("2024-03-19 09:00"):
        submit(w, c.c10)
    with at("2024-03-19 15:00"):
        verify(w, c.c10)
    with at("2024-03-20 09:00"):
        reply_and_rate(w, c.c10, 5)

    with at("2024-03-20 09:00"):
        c.c11 = report(w, fixed_on_spot=True, fix_note="当场清理")

    with at("2024-03-21 09:00"):
        c.c12 = report(w, by=w.resident)
    with at("2024-03-21 10:00"):
        actions.reject(c.c12, actor=w.office.user, expected_version=_v(c.c12), reason="非本区")

    with at("2024-03-22 09:00"):
        c.c15 = report(w, by=w.resident)
    with at("2024-03-22 10:00"):
        register(w, c.c15)
        assign(w, c.c15, "2024-03-27")
        accept(w, c.c15)
    with at("2024-03-25 09:00"):
        submit(w, c.c15)
    with at("2024-03-25 15:00"):
        verify(w, c.c15)
    with at("2024-03-26 09:00"):
        reply_and_rate(w, c.c15, 3)

    with at("2024-03-25 09:00"):
        c.c13 = report(w, by=w.office, source=Source.HOTLINE, longitude=114.615, latitude=33.605)
    with at("2024-03-25 10:00"):
        register(w, c.c13)
        assign(w, c.c13, "2024-04-03", unit=w.other_unit)

    with at("2024-03-28 09:00"):
        c.c14 = report(w)
    with at("2024-03-28 10:00"):
        register(w, c.c14)
        assign(w, c.c14, "2024-04-05")
        accept(w, c.c14)

    with at("2024-03-31 23:30"):
        c.c2 = report(w)
    with at("2024-04-01 00:10"):
        c.c3 = report(w)
    with at("2024-04-01 09:00"):
        submit(w, c.c14)
    with at("2024-04-02 09:00"):
        verify(w, c.c14)

    for case in vars(c).values():
        case.refresh_from_db()
    return c
