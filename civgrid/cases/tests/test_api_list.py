"""The case list: its filters, its paging and a query count that does not grow with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civgrid.cases import actions
from civgrid.cases.tests.api_support import api_as, detail, listed_ids
from civgrid.testing import drive, make_category, report

TZ = timezone.get_default_timezone()


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def test_the_status_filter_takes_several_statuses(world):
    reported = report(world)
    registered = drive(report(world), world, "register")
    assigned = drive(report(world), world, "register", "assign")
    office = api_as(world.office)
    both = {reported.pk, registered.pk}
    assert set(listed_ids(office.get("/api/v1/cases/?status=reported&status=registered"))) == both
    assert set(listed_ids(office.get("/api/v1/cases/?status=reported,registered"))) == both
    assert listed_ids(office.get("/api/v1/cases/?status=assigned")) == [assigned.pk]


def test_an_unknown_status_is_a_400_naming_the_parameter(world):
    response = api_as(world.office).get("/api/v1/cases/?status=lost")
    assert response.status_code == 400
    assert response.json()["field"] == "status"


def test_the_unit_grid_region_source_and_category_filters(world):
    in_a = drive(report(world), world, "register", "assign")
    in_b = report(
        world,
        by=world.inspector,
        longitude=114.615,
        source="inspection",
        category=make_category(code="LJDF", name="垃圾乱堆"),
    )
    office = api_as(world.office)
    assert listed_ids(office.get(f"/api/v1/cases/?unit={world.unit.pk}")) == [in_a.pk]
    assert listed_ids(office.get(f"/api/v1/cases/?unit={world.unit.code}")) == [in_a.pk]
    assert listed_ids(office.get(f"/api/v1/cases/?grid={world.grid_b.pk}")) == [in_b.pk]
    assert listed_ids(office.get(f"/api/v1/cases/?region={world.grid_a.pk}")) == [in_a.pk]
    assert set(listed_ids(office.get(f"/api/v1/cases/?region={world.area.pk}"))) == {
        in_a.pk,
        in_b.pk,
    }
    assert set(listed_ids(office.get(f"/api/v1/cases/?region={world.street.code}"))) == {
        in_a.pk,
        in_b.pk,
    }
    assert listed_ids(office.get("/api/v1/cases/?source=inspection")) == [in_b.pk]
    assert listed_ids(office.get("/api/v1/cases/?category=LJDF")) == [in_b.pk]


def test_a_filter_naming_something_that_does_not_exist_is_a_400(world):
    response = api_as(world.office).get("/api/v1/cases/?unit=99999")
    assert response.status_code == 400
    assert response.json()["field"] == "unit"


def test_filters_never_widen_the_scope(world):
    report(world)
    assert listed_ids(api_as(world.worker_b).get(f"/api/v1/cases/?grid={world.grid_a.pk}")) == []


def test_the_text_search_finds_tracking_codes_and_descriptions(world):
    litter = report(world, description="小区门口垃圾堆积")
    stall = report(world)
    office = api_as(world.office)
    assert listed_ids(office.get("/api/v1/cases/", {"q": "垃圾"})) == [litter.pk]
    code_part = stall.tracking_code.split("-")[1].lower()
    assert listed_ids(office.get("/api/v1/cases/", {"q": code_part})) == [stall.pk]


def test_the_created_filters_take_local_days_and_instants(world, time_machine):
    time_machine.move_to(at(2025, 3, 3, 23, 30), tick=False)  # late on 3 March, Beijing time
    early = report(world)
    time_machine.move_to(at(2025, 3, 4, 9, 0), tick=False)
    late = report(world)
    office = api_as(world.office)
    assert listed_ids(office.get("/api/v1/cases/?created_before=2025-03-03")) == [early.pk]
    assert listed_ids(office.get("/api/v1/cases/?created_after=2025-03-04")) == [late.pk]
    assert listed_ids(office.get("/api/v1/cases/?created_after=2025-03-04T00:00:00%2B08:00")) == [
        late.pk
    ]
    assert office.get("/api/v1/cases/?created_after=yesterday").status_code == 400


def test_the_overdue_filter_follows_the_clock(world, time_machine):
    time_machine.move_to(at(2025, 3, 3, 10, 0), tick=False)  # a Monday
    late = drive(report(world), world, "register")
    actions.assign(
        late,
        actor=world.office.user,
        expected_version=late.version,
        unit=world.unit,
        due_on=dt.date(2025, 3, 5),
    )
    closed = drive(report(world), world, "register")
    actions.assign(
        closed,
        actor=world.office.user,
        expected_version=closed.version,
        unit=world.unit,
        due_on=dt.date(2025, 3, 5),
    )
    closed = drive(closed, world, "accept", "submit", "verify_pass")
    unassigned = report(world)
    office = api_as(world.office)
    everything = {late.pk, closed.pk, unassigned.pk}

    assert listed_ids(office.get("/api/v1/cases/?overdue=true")) == []
    assert set(listed_ids(office.get("/api/v1/cases/?overdue=false"))) == everything

    time_machine.move_to(at(2025, 3, 5, 23, 59), tick=False)  # still the last day
    assert listed_ids(office.get("/api/v1/cases/?overdue=true")) == []

    time_machine.move_to(at(2025, 3, 6, 0, 0), tick=False)  # the deadline itself
    assert listed_ids(office.get("/api/v1/cases/?overdue=true")) == [late.pk]
    assert set(listed_ids(office.get("/api/v1/cases/?overdue=false"))) == everything - {late.pk}
    body = detail(office, late).json()
    assert body["is_overdue"] is True
    assert body["due_on"] == "2025-03-05"
    rows = {r["id"]: r for r in office.get("/api/v1/cases/").json()["results"]}
    assert rows[late.pk]["is_overdue"] is True
    assert rows[closed.pk]["is_overdue"] is False


def test_the_list_is_paged(world):
    for _ in range(3):
        report(world)
    page = api_as(world.office).get("/api/v1/cases/?page_size=2").json()
    assert page["count"] == 3
    assert len(page["results"]) == 2
    assert page["next"] is not None


def test_the_list_orders_by_deadline_on_request(world):
    first = drive(report(world), world, "register")
    second = drive(report(world), world, "register")
    actions.assign(
        first,
        actor=world.office.user,
        expected_version=first.version,
        unit=world.unit,
        due_on=timezone.localdate() + dt.timedelta(days=9),
    )
    actions.assign(
        second,
        actor=world.office.user,
        expected_version=second.version,
        unit=world.unit,
        due_on=timezone.localdate() + dt.timedelta(days=2),
    )
    unassigned = report(world)
    office = api_as(world.office)
    assert listed_ids(office.get("/api/v1/cases/?ordering=due_at")) == [
        second.pk,
        first.pk,
        unassigned.pk,
    ]
    assert listed_ids(office.get("/api/v1/cases/?ordering=-due_at")) == [
        first.pk,
        second.pk,
        unassigned.pk,
    ]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/cases/").status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["office", "worker_a", "clerk", "leader"])
def test_the_list_query_count_does_not_grow_with_the_cases(world, persona):
    client = api_as(getattr(world, persona))
    for _ in range(2):
        drive(report(world, reporter_phone="13800001111"), world, "register", "assign")
    few = _list_queries(client)
    for _ in range(8):
        drive(report(world, reporter_phone="13800001111"), world, "register", "assign")
    many = _list_queries(client)
    assert len(client.get("/api/v1/cases/").json()["results"]) == 10
    assert many == few
    assert many <= 8


def test_the_detail_query_count_does_not_grow_with_the_history(
    world, django_assert_max_num_queries
):
    case = drive(
        report(world),
        world,
        "register",
        "assign",
        "accept",
        "submit",
        "verify_fail",
        "submit",
        "verify_pass",
        "reply",
    )
    client = api_as(world.office)
    with django_assert_max_num_queries(10):
        response = detail(client, case)
    assert len(response.json()["events"]) == 9


@pytest.mark.parametrize(
    "query",
    [
        "created_before=9999-12-31",
        "created_after=0001-01-01",
        "created_after=0001-01-01T00:00:00",
        "unit=²",
        "grid=²",
        "region=³",
        "category=²",
    ],
)
def test_edge_of_the_calendar_and_odd_digits_are_a_clear_400_not_a_crash(world, query):
    response = api_as(world.office).get(f"/api/v1/cases/?{query}")
    assert response.status_code == 400, response.content
    assert response.json()["message"]
