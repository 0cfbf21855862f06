"""Two people acting on the same case at the same moment: one wins, the other is refused."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

from civgrid.cases import actions, reporting
from civgrid.cases.actions import CaseActionError, StaleCase
from civgrid.cases.workflow import Status
from civgrid.public.actions import submit_report
from civgrid.public.models import PublicReport
from civgrid.testing import build_world, drive, report


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent connections: runs in the PostgreSQL pass",
)
def test_two_simultaneous_actions_on_one_version_let_exactly_one_through():
    world = build_world()
    case = drive(report(world), world, "register")
    seen = case.version
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def act(fn, **kw):
        try:
            barrier.wait()
            fn(case.pk, expected_version=seen, **kw)
            outcomes.append("ok")
        except CaseActionError as exc:
            outcomes.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(
            target=act,
            args=(actions.assign,),
            kwargs={"actor": world.office.user, "unit": world.unit},
        ),
        threading.Thread(
            target=act,
            args=(actions.reject,),
            kwargs={"actor": world.inspector.user, "reason": "不属实"},
        ),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert outcomes.count("ok") == 1
    refused = [o for o in outcomes if o != "ok"]
    assert len(refused) == 1 and isinstance(refused[0], StaleCase)
    case.refresh_from_db()
    assert case.version == seen + 1
    assert case.status in (Status.ASSIGNED, Status.REJECTED)
    assert case.events.count() == 3  # report, register, and one of the two


PG_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent connections: runs in the PostgreSQL pass",
)


def _three_at_once(send: Callable[[], tuple[int, bool]]) -> list[tuple[int, bool]]:
    """Run `send` in three threads released together; their (case id, created) results."""
    barrier = threading.Barrier(3)
    results: list[tuple[int, bool]] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(send())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(results) == 3
    return results


@pytest.mark.django_db(transaction=True)
@PG_ONLY
def test_a_report_resent_at_the_same_moment_creates_one_case():
    world = build_world()

    def send() -> tuple[int, bool]:
        case, created = reporting.report_case(
            actor=world.worker_a.user,
            source="patrol",
            category=world.category,
            description="井盖缺失",
            longitude=114.605,
            latitude=33.605,
            client_key="offline-queue-42",
        )
        return case.pk, created

    results = _three_at_once(send)
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1


@pytest.mark.django_db(transaction=True)
@PG_ONLY
def test_a_public_report_resent_at_the_same_moment_creates_one_case_and_one_public_record():
    world = build_world()

    def send() -> tuple[int, bool]:
        done = submit_report(
            channel="web",
            category=world.category,
            description="路灯不亮",
            longitude=114.605,
            latitude=33.605,
            client_key="public-form-7",
        )
        return done.report.case_id, done.created

    results = _three_at_once(send)
    assert len({pk for pk, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert PublicReport.objects.count() == 1
