"""The ledger page (问题整改台账): scope, filters, paging, badges, counts and its query budget."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civgrid.cases.models import Source
from civgrid.cases.workflow import Status
from civgrid.testing import PASSWORD, drive, make_category, report

LEDGER = reverse("cases:ledger")


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def codes(response) -> set[str]:
    return set(re.findall(r'data-case="([^"]+)"', response.content.decode()))


@pytest.fixture
def office(client, world):
    return login(client, world.office)


def test_the_office_sees_every_case_with_its_grid_area_and_unit(office, world):
    a = drive(report(world), world, "register", "assign")
    b = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    page = office.get(LEDGER)
    assert page.status_code == 200
    assert codes(page) == {a.tracking_code, b.tracking_code}
    html = page.content.decode()
    assert "国槐街网格" in html and "第一片区" in html and "城市管理局" in html
    assert 'class="badge badge-work"' in html  # the assigned case's status badge


def test_a_grid_worker_sees_only_cases_of_their_grid(client, world):
    a = report(world)
    b = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    page = login(client, world.worker_b).get(LEDGER)
    assert codes(page) == {b.tracking_code}
    assert a.tracking_code not in page.content.decode()


def test_a_unit_clerk_sees_only_their_units_cases(client, world):
    mine = drive(report(world), world, "register", "assign")
    report(world)
    assert codes(login(client, world.clerk).get(LEDGER)) == {mine.tracking_code}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=assigned", {"assigned"}),
        ("status=open", {"reported", "assigned", "submitted"}),
        ("status=closed", {"closed"}),
        ("source=hotline", {"hotline"}),
        ("q=井盖", {"manhole"}),
        ("q=%s", {"reported"}),  # a tracking code
    ],
)
def test_the_ledger_filters_by_status_source_and_text(office, world, query, expected):
    cases = {
        "reported": report(world),
        "assigned": drive(report(world), world, "register", "assign"),
        "submitted": drive(report(world), world, "register", "assign", "accept", "submit"),
        "closed": drive(
            report(world), world, "register", "assign", "accept", "submit", "verify_pass"
        ),
    }
    # Two more that stay reported, one by source and one by description.
    hotline = report(world, by=world.office, source=Source.HOTLINE, description="12345热线反映噪音")
    manhole = report(world, description="人民路井盖缺失")
    labels = {**cases, "hotline": hotline, "manhole": manhole}
    if "%s" in query:
        query = query % cases["reported"].tracking_code
    page = office.get(f"{LEDGER}?{query}")
    shown = {name for name, case in labels.items() if case.tracking_code in codes(page)}
    if query.startswith("status=open"):
        expected = expected | {"hotline", "manhole"}
    assert shown == expected


def test_the_ledger_filters_by_unit_grid_and_category(office, world):
    in_a = drive(report(world), world, "register", "assign")
    in_b = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    other = make_category(name="垃圾乱堆", code="LJLD")
    litter = report(world, category=other)
    assert codes(office.get(f"{LEDGER}?unit={world.unit.pk}")) == {in_a.tracking_code}
    assert codes(office.get(f"{LEDGER}?grid={world.grid_b.pk}")) == {in_b.tracking_code}
    assert codes(office.get(f"{LEDGER}?category={other.pk}")) == {litter.tracking_code}


def test_an_unknown_filter_value_is_shown_as_an_error_and_the_rest_still_applies(office, world):
    in_b = report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    report(world)
    page = office.get(f"{LEDGER}?unit=999999&grid={world.grid_b.pk}")
    assert page.status_code == 200
    assert codes(page) == {in_b.tracking_code}
    assert 'class="error"' in page.content.decode()


def test_an_overdue_case_gets_the_red_badge_after_its_deadline(office, world):
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        late = drive(report(world), world, "register", "assign")
        on_time = drive(report(world), world, "register", "assign")
        page = office.get(LEDGER)
        assert "badge-overdue" not in page.content.decode()
        assert codes(office.get(f"{LEDGER}?overdue=yes")) == set()
    drive(on_time, world, "accept", "submit", "verify_pass")
    after = late.due_at + dt.timedelta(hours=1)
    with time_machine.travel(after, tick=False):
        page = office.get(LEDGER)
        html = page.content.decode()
        row = re.search(rf'<tr class="row is-overdue" data-case="{late.tracking_code}">', html)
        assert row, "the late case's row is marked overdue"
        assert html.count('badge badge-overdue"') == 1  # closed cases are never overdue
        assert codes(office.get(f"{LEDGER}?overdue=yes")) == {late.tracking_code}
        assert codes(office.get(f"{LEDGER}?overdue=no")) == {on_time.tracking_code}
        assert re.search(r'data-count="overdue">1<', html)


def test_the_deadline_column_shows_the_local_last_day(office, world):
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        case = drive(report(world), world, "register", "assign")
    # Monday 3 March + 5 working days: the last day is Monday 10 March (stored as next midnight).
    assert case.due_at == dt.datetime(2025, 3, 10, 16, 0, tzinfo=dt.UTC)
    assert "2025-03-10" in office.get(LEDGER).content.decode()


def test_the_counts_on_top_cover_open_overdue_awaiting_verification_and_closed(office, world):
    report(world)
    drive(report(world), world, "register", "assign", "accept", "submit")
    drive(report(world), world, "register", "assign", "accept", "submit", "verify_pass")
    html = office.get(LEDGER).content.decode()
    assert re.search(r'data-count="open">2<', html)
    assert re.search(r'data-count="overdue">0<', html)
    assert re.search(r'data-count="submitted">1<', html)
    assert re.search(r'data-count="closed">1<', html)


def test_the_reporter_phone_is_masked_in_the_ledger(office, world):
    report(world, reporter_name="居民钱先生", reporter_phone="13912345678")
    html = office.get(LEDGER).content.decode()
    assert "139****5678" in html
    assert "13912345678" not in html


def test_the_ledger_pages_by_fifty_and_keeps_the_filters_in_page_links(office, world):
    for i in range(53):
        report(world, description=f"第{i}处占道经营")
    report(world, by=world.office, source=Source.HOTLINE)
    first = office.get(f"{LEDGER}?source=patrol")
    assert len(codes(first)) == 50
    html = first.content.decode()
    assert "?source=patrol&amp;page=2" in html
    second = office.get(f"{LEDGER}?source=patrol&page=2")
    assert len(codes(second)) == 3
    assert not codes(first) & codes(second)
    assert "?source=patrol&amp;page=1" in second.content.decode()
    assert office.get(f"{LEDGER}?page=999").status_code == 200  # past the end: the last page


def test_an_htmx_request_gets_only_the_table_and_a_history_restore_the_whole_page(office, world):
    report(world)
    partial = office.get(LEDGER, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="ledger-table"')
    assert "<html" not in html
    assert "HX-Request" in partial["Vary"]
    full = office.get(LEDGER, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.content.decode()


def test_the_filter_form_uses_htmx_and_works_without_it(office, world):
    html = office.get(LEDGER).content.decode()
    form = re.search(r"<form[^>]*role=\"search\"[^>]*>", html, re.S).group(0)
    assert 'method="get"' in form and f'action="{LEDGER}"' in form
    assert 'hx-get="/cases/"' in form and 'hx-target="#ledger-table"' in form
    assert 'hx-push-url="true"' in form


@pytest.mark.parametrize("rows", [1, 30])
def test_the_ledger_query_count_does_not_grow_with_rows(office, world, rows):
    for _ in range(rows):
        drive(report(world), world, "register", "assign")
    office.get(LEDGER)  # warm the session and the grid locator
    with CaptureQueriesContext(connection) as queries:
        page = office.get(f"{LEDGER}?status=assigned")
    assert len(codes(page)) == rows
    # Session, user, person, counts, page count, the page, and the filter choices.
    assert len(queries) <= 10, [q["sql"] for q in queries]


def test_the_ledger_query_count_is_the_same_for_one_row_and_for_fifty(
    office, world, django_assert_max_num_queries
):
    drive(report(world), world, "register", "assign")
    with CaptureQueriesContext(connection) as one:
        office.get(LEDGER)
    for _ in range(49):
        drive(report(world), world, "register", "assign")
    with django_assert_max_num_queries(len(one)):
        page = office.get(LEDGER)
    assert len(codes(page)) == 50


def test_closed_states_filter_shows_the_closed_badge(office, world):
    closed = drive(report(world), world, "register", "assign", "accept", "submit", "verify_pass")
    html = office.get(f"{LEDGER}?status={Status.CLOSED}").content.decode()
    assert closed.tracking_code in html
    assert 'class="badge badge-done"' in html
