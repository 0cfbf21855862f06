"""Sixteen clients at once against a real threaded server: nobody gets a 500.

The outside test of issue 15 found SQLite answering "database is locked" (500) to writers
under load, two clerks on one case getting 500 instead of 409, and a resent report with the
same Idempotency-Key getting 500. This drives the same mix through `civgrid runserver` on a
file database (server_support explains why not the in-memory one) and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.db.models import Count
from rest_framework.authtoken.models import Token

from civgrid.cases.models import Case
from civgrid.cases.tests.server_support import call, running_server
from civgrid.cases.workflow import Status
from civgrid.org.models import Role
from civgrid.testing import build_world, drive, make_person, report

PAIRS = 4  # pairs of threads sending the same keys at the same moment
KEYS_PER_PAIR = 4
SINGLES = 4  # threads sending keys of their own
KEYS_PER_SINGLE = 4
CONTESTED = 5  # cases both clerks act on at once
READS = 8
BARRIER_TIMEOUT = 120  # a safety net against a hung server, not a measure of anything


def _report_body(world: SimpleNamespace, source: str, text: str) -> dict[str, object]:
    return {
        "source": source,
        "category": world.category.code,
        "description": text,
        "longitude": 114.605,
        "latitude": 33.605,
    }


@pytest.fixture
def scene(transactional_db):
    world = build_world()
    second_clerk = make_person(Role.UNIT_CLERK, username="clerk_b", unit=world.unit)
    people = [world.worker_a, world.worker_b, world.office, world.clerk, second_clerk]
    tokens = {p.user.username: Token.objects.create(user=p.user).key for p in people}
    contested = [drive(report(world), world, "register", "assign") for _ in range(CONTESTED)]
    return SimpleNamespace(world=world, tokens=tokens, contested=contested)


def test_sixteen_concurrent_clients_get_no_500_conflicts_409_and_resent_keys_one_case(
    scene, tmp_path
):
    world, tokens = scene.world, scene.tokens
    cases_before = Case.objects.count()
    statuses: list[int] = []
    duplicates: dict[str, list[tuple[int, int | None]]] = {}
    singles: list[tuple[int, int | None]] = []
    contests: dict[int, list[tuple[int, str | None]]] = {c.pk: [] for c in scene.contested}
    lock = threading.Lock()

    def record(status: int) -> None:
        with lock:
            statuses.append(status)

    def create(host: str, user: str, key: str) -> tuple[int, int | None]:
        source = "hotline" if user == "office" else "patrol"
        status, data, _headers, _text = call(
            host,
            "POST",
            "/api/v1/cases/",
            token=tokens[user],
            body=_report_body(world, source, f"井盖缺失 {key}"),
            headers={"Idempotency-Key": key},
        )
        record(status)
        return status, data.get("id")

    def pair_sender(host: str, pair: int, barrier: threading.Barrier) -> None:
        user = "worker_a" if pair % 2 == 0 else "worker_b"
        for k in range(KEYS_PER_PAIR):
            key = f"pair-{pair}-{k}"
            barrier.wait()
            outcome = create(host, user, key)
            with lock:
                duplicates.setdefault(key, []).append(outcome)

    def single_sender(host: str, n: int) -> None:
        for k in range(KEYS_PER_SINGLE):
            outcome = create(host, "office", f"single-{n}-{k}")
            with lock:
                singles.append(outcome)

    def clerk(host: str, user: str, barrier: threading.Barrier) -> None:
        for case in scene.contested:
            barrier.wait()
            status, data, _headers, _text = call(
                host,
                "POST",
                f"/api/v1/cases/{case.pk}/actions/accept/",
                token=tokens[user],
                body={"version": case.version},
            )
            record(status)
            with lock:
                contests[case.pk].append((status, data.get("error")))

    def reader(host: str, user: str) -> None:
        for n in range(READS):
            path = "/api/v1/cases/" if n % 2 == 0 else f"/api/v1/cases/{scene.contested[0].pk}/"
            status = call(host, "GET", path, token=tokens[user]).status
            record(status)

    failures: list[BaseException] = []

    def guarded(target: Callable[..., None], *args: object) -> threading.Thread:
        def run() -> None:
            try:
                target(*args)
            except BaseException as exc:  # a thread's error must fail the test, not vanish
                failures.append(exc)

        return threading.Thread(target=run)

    with running_server(tmp_path) as server:
        host = server.host
        clerks = threading.Barrier(2, timeout=BARRIER_TIMEOUT)
        threads = [
            *(
                guarded(pair_sender, host, pair, barrier)
                for pair in range(PAIRS)
                for barrier in [threading.Barrier(2, timeout=BARRIER_TIMEOUT)]
                for _twin in range(2)
            ),
            *(guarded(single_sender, host, n) for n in range(SINGLES)),
            guarded(clerk, host, "clerk", clerks),
            guarded(clerk, host, "clerk_b", clerks),
            guarded(reader, host, "office"),
            guarded(reader, host, "worker_a"),
        ]
        assert len(threads) == 16
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert failures == []
    server_errors = [s for s in statuses if s >= 500]
    assert server_errors == [], f"{len(server_errors)} of {len(statuses)} answers were 5xx"
    for key, outcomes in duplicates.items():
        assert sorted(s for s, _pk in outcomes) == [200, 201], key
        assert len({pk for _s, pk in outcomes}) == 1, key
    assert [s for s, _pk in singles] == [201] * SINGLES * KEYS_PER_SINGLE
    for pk, outcomes in contests.items():
        assert sorted(outcomes, key=lambda o: o[0]) == [(200, None), (409, "stale")], pk

    keys = PAIRS * KEYS_PER_PAIR + SINGLES * KEYS_PER_SINGLE
    assert Case.objects.count() == cases_before + keys
    assert Case.objects.exclude(client_key=None).count() == keys
    for case in Case.objects.annotate(events_count=Count("events")):
        assert case.version == case.events_count, case.tracking_code
    assert set(Case.objects.filter(pk__in=contests).values_list("status", flat=True)) == {
        Status.IN_PROGRESS
    }
