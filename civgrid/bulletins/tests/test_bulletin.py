import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from civgrid.bulletins.bulletin import MAX_LISTED, SUMMARY, figures, gather, show, write_bulletin
from civgrid.bulletins.models import ExportJob, JobStatus
from civgrid.reports import indicators
from civgrid.reports.indicators import INDICATORS
from civgrid.reports.periods import Period
from civgrid.testing import PASSWORD, drive, report
from civgrid.worklogs.actions import record_work
from civgrid.worklogs.models import ActivityKind

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
MARCH = Period.month(dt.date(2026, 3, 1))


def at(day, hour=10):
    return dt.datetime(2026, 3, day, hour, tzinfo=TZ)


@pytest.fixture
def march(world):
    """Three cases reported in March 2026: one closed, one assigned (overdue by April),
    one rejected; and two work-log entries of March."""
    with time_machine.travel(at(2), tick=False):
        closed = drive(report(world), world, "register", "assign", "accept", "submit")
    with time_machine.travel(at(4), tick=False):
        closed = drive(closed, world, "verify_pass")
    with time_machine.travel(at(10), tick=False):
        assigned = drive(report(world), world, "register", "assign")
        from civgrid.cases import actions

        rejected = report(world)
        actions.reject(rejected, actor=world.office.user, expected_version=1, reason="不属实")
        record_work(
            actor=world.clerk.user,
            unit=world.unit,
            worked_on=dt.date(2026, 3, 9),
            kind=ActivityKind.ENVIRONMENT,
            person_times=40,
            machine_times=3,
            volume_removed=Decimal("120.50"),
        )
        record_work(
            actor=world.office.user,
            unit=world.other_unit,
            worked_on=dt.date(2026, 3, 10),
            kind=ActivityKind.PUBLICITY,
            person_times=12,
            items_installed=80,
        )
    return {"closed": closed, "assigned": assigned, "rejected": rejected}


def doc_tables(path):
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[cell.text for cell in row.cells] for row in t.rows] for t in doc.tables]
    return text, tables


def test_the_bulletin_prints_the_figures_of_compute_for_the_period(world, march, tmp_path):
    now = dt.datetime(2026, 4, 20, 9, tzinfo=TZ)
    path = tmp_path / "b.docx"
    data = write_bulletin(path, MARCH, user=world.office.user, now=now)
    text, tables = doc_tables(path)
    row = indicators.compute(MARCH, user=world.office.user, now=now)[0]
    summary = dict(tables[0][1:])
    assert summary == {str(INDICATORS[k].label): show(row, k) for k in SUMMARY}
    # hand-checked: 3 reported, 1 closed, 1 of 2 valid reports closed, 1 open and overdue
    assert summary["Reported (上报)"] == "3"
    assert summary["Closed (销号)"] == "1"
    assert summary["Closure rate (整改率)"] == "50.00%"
    assert summary["Overdue (超期)"] == "1"
    assert figures(data)["closure_rate"] == "50.00%"
    assert "March" in text or "3/2026" in text
    # the ranking is d1's rank of units, one row per unit
    ranked = indicators.rank(MARCH, "unit", "closure_rate", user=world.office.user, now=now)
    assert [r[1] for r in tables[1][1:]] == [r.row.label for r in ranked] == [world.unit.name]
    # 举牌亮剑: the overdue case is named
    assert tables[2][1][0] == march["assigned"].tracking_code
    assert "1 cases are overdue" in text
    # the slowest closed case of the period
    assert tables[3][1][0] == march["closed"].tracking_code
    # the work logs of March, summed
    assert "52 person-times" in text and "120.50 m³" in text and "80 items" in text


def test_a_bulletin_holds_at_most_a_bounded_list_whatever_the_ledger(world):
    now = timezone.now()
    cases = [drive(report(world), world, "register", "assign") for _ in range(MAX_LISTED + 3)]
    type(cases[0]).objects.update(due_at=now - dt.timedelta(days=2))
    data = gather(Period.current("month", now), user=world.office.user, now=now)
    assert data.overdue_count == MAX_LISTED + 3
    assert len(data.overdue) == MAX_LISTED


def test_the_bulletin_page_makes_a_job_and_only_staff_may_ask(world, march):
    client = Client()
    client.login(username="office", password=PASSWORD)
    response = client.post(reverse("bulletins:bulletin"), {"period": "2026-03"})
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("bulletins:job", args=[job.pk])
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("bulletins:download", args=[job.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    clerk = Client()
    clerk.login(username="clerk", password=PASSWORD)
    assert clerk.post(reverse("bulletins:bulletin"), {"period": "2026-03"}).status_code == 404
    bad = client.post(reverse("bulletins:bulletin"), {"period": "2026-13"}, follow=True)
    assert ExportJob.objects.count() == 1
    assert b"not a valid period" in bad.content
