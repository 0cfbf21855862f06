"""The ledger's panels of the start page (待办): what each role must do now, within its scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civgrid.cases import actions
from civgrid.cases.models import Case
from civgrid.org.queries import role_of
from civgrid.testing import PASSWORD, drive, report
from civgrid.todo import Panel, collect_panels
from civgrid.workcalendar.models import CalendarOverride

TZ = timezone.get_default_timezone()
# Wednesday 11 March 2026, 10:00 in Asia/Shanghai: an ordinary working week.
NOW = dt.datetime(2026, 3, 11, 10, 0, tzinfo=TZ)


def end_of(day: int) -> dt.datetime:
    """The deadline "by the end of `day` March 2026" as stored: the next local midnight."""
    return dt.datetime(2026, 3, day + 1, tzinfo=TZ)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def assigned(world, *, due: dt.datetime | None = None, then: tuple[str, ...] = (), **kw) -> Case:
    case = drive(report(world, **kw), world, "register", "assign", *then)
    if due is not None:
        Case.objects.filter(pk=case.pk).update(due_at=due)  # the deadline under test
        case.refresh_from_db()
    return case


def panels_of(person) -> dict[str, Panel]:
    return {str(p.title): p for p in collect_panels(person.user, role_of(person.user), NOW)}


def codes(panel: Panel) -> list[str]:
    return [item.label.split(" · ")[0] for item in panel.items]


def test_the_clerk_sees_cases_to_accept_due_soon_overdue_and_in_rework(world, clock):
    waiting = assigned(world, due=end_of(20))
    soon = assigned(world, due=end_of(12), then=("accept",))
    not_yet = assigned(world, due=end_of(13), then=("accept",))
    late = assigned(world, due=end_of(9), then=("accept",))
    again = assigned(world, due=end_of(20), then=("accept", "submit", "verify_fail"))

    panels = panels_of(world.clerk)

    assert codes(panels["To accept (待签收)"]) == [waiting.tracking_code]
    assert codes(panels["Due soon (临期)"]) == [soon.tracking_code]
    assert codes(panels["Overdue (超期)"]) == [late.tracking_code]
    assert codes(panels["Returned for rework (返工)"]) == [again.tracking_code]
    assert not_yet.tracking_code not in {c for p in panels.values() for c in codes(p)}


def test_a_panel_item_marks_the_deadline_and_how_late_it_is_in_working_days(world, clock):
    assigned(world, due=end_of(12), then=("accept",))
    assigned(world, due=end_of(6), then=("accept",))  # Friday 6th: Mon 9, Tue 10 and today since

    panels = panels_of(world.clerk)

    [soon] = panels["Due soon (临期)"].items
    assert (soon.level, soon.detail) == ("warning", "due March 12")
    [late] = panels["Overdue (超期)"].items
    assert (late.level, late.detail) == ("danger", "overdue 3 working days")
    assert panels["Overdue (超期)"].level == "danger"


def test_due_soon_counts_working_days_so_a_day_off_in_between_stretches_it(world, clock):
    after_the_day_off = assigned(world, due=end_of(13), then=("accept",))
    assert codes(panels_of(world.clerk)["Due soon (临期)"]) == []

    CalendarOverride.objects.create(day=dt.date(2026, 3, 12), is_workday=False)

    assert codes(panels_of(world.clerk)["Due soon (临期)"]) == [after_the_day_off.tracking_code]


def test_the_clerk_sees_only_the_cases_of_their_own_unit(world, clock):
    assigned(world, due=end_of(9))
    case = drive(report(world), world, "register")
    actions.assign(case, actor=world.office.user, expected_version=None, unit=world.other_unit)

    mine = panels_of(world.clerk)
    theirs = panels_of(world.other_clerk)

    assert (mine["To accept (待签收)"].count, mine["Overdue (超期)"].count) == (1, 1)
    assert (theirs["To accept (待签收)"].count, theirs["Overdue (超期)"].count) == (1, 0)


def test_the_grid_worker_sees_the_open_cases_of_their_grids_only(world, clock):
    here = report(world)
    report(world, by=world.worker_b, longitude=114.615, latitude=33.605)
    drive(report(world), world, "register", "assign", "accept", "submit", "verify_pass")

    panels = panels_of(world.worker_a)

    assert codes(panels["Open cases in my grids (未办结)"]) == [here.tracking_code]
    assert "To accept (待签收)" not in panels


def test_the_leader_sees_the_overdue_cases_of_their_grids(world, clock):
    late = assigned(world, due=end_of(9))
    assigned(world, due=end_of(20))

    panels = panels_of(world.leader)

    assert codes(panels["Overdue (超期)"]) == [late.tracking_code]
    assert "To accept (待签收)" not in panels


def test_the_office_sees_registrations_waiting_and_extension_requests(world, clock):
    waiting = report(world)
    asking = assigned(world, due=end_of(20), then=("accept",))
    actions.request_extension(
        asking, actor=world.clerk.user, expected_version=None, days=3, reason="材料未到"
    )

    panels = panels_of(world.office)

    assert codes(panels["Waiting to be registered (待立案)"]) == [waiting.tracking_code]
    assert codes(panels["Extension requests (延期申请)"]) == [asking.tracking_code]
    assert [str(p.title) for p in collect_panels(world.office.user, "office", NOW)][:2] == [
        "Waiting to be registered (待立案)",
        "Extension requests (延期申请)",
    ]


def test_a_panel_shows_the_first_few_and_counts_them_all(world, clock):
    for _ in range(7):
        report(world)

    panel = panels_of(world.office)["Waiting to be registered (待立案)"]

    assert panel.count == 7 and len(panel.items) == 5


@pytest.mark.parametrize("persona", ["clerk", "leader", "worker_a", "office", "resident"])
def test_each_panels_link_opens_the_ledger_listing_exactly_what_it_counts(
    client, world, clock, persona
):
    report(world)
    report(world, by=world.resident)
    assigned(world, due=end_of(20))
    assigned(world, due=end_of(12), then=("accept",))
    assigned(world, due=end_of(9), then=("accept",))
    asking = assigned(world, due=end_of(20), then=("accept",))
    actions.request_extension(
        asking, actor=world.clerk.user, expected_version=None, days=2, reason="雨天"
    )
    assigned(world, due=end_of(20), then=("accept", "submit", "verify_fail"))
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)

    ledger = reverse("cases:ledger") + "?"
    panels = [
        p
        for p in collect_panels(person.user, role_of(person.user), NOW)
        if p.url.startswith(ledger)
    ]
    assert panels

    for panel in panels:
        listed = re.findall(r'<tr class="row[^"]*" data-case="', client.get(panel.url).text)
        assert len(listed) == panel.count, panel.title


@pytest.mark.parametrize("persona", ["clerk", "leader", "worker_a", "office"])
def test_the_start_page_costs_the_same_queries_for_thirty_cases_as_for_three(
    client, world, clock, persona
):
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)

    def add_cases(n: int) -> None:
        for i in range(n):
            report(world)
            assigned(world, due=end_of(9 + i % 4), then=("accept",))

    add_cases(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("start")).status_code == 200
    add_cases(27)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("start"))
    assert page.status_code == 200
    assert len(many) == len(few)
