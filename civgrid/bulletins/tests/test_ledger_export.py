import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civgrid.bulletins import views
from civgrid.bulletins.ledger import headers
from civgrid.bulletins.models import ExportJob, JobStatus
from civgrid.cases.queries import cases_for_user, overdue_q
from civgrid.testing import PASSWORD, drive, report

pytestmark = pytest.mark.django_db


def client_for(person):
    client = Client()
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def workbook(response):
    body = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(body), read_only=True)


def ledger_rows(book):
    """The case rows of the first sheet: after the caption and header rows."""
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][1] == "Tracking code"
    return rows[2:]


def totals_sheet(book):
    return {
        label: count for label, count in book.worksheets[1].iter_rows(min_row=2, values_only=True)
    }


@pytest.fixture
def ledger(world):
    """Five cases: two with the unit (one overdue), one with the other unit, one closed,
    one just reported."""
    w = world
    a = drive(report(w), w, "register", "assign")
    b = drive(report(w, description='=HYPERLINK("http://x")'), w, "register", "assign")
    c = drive(report(w), w, "register")
    from civgrid.cases import actions

    c = actions.assign(c, actor=w.office.user, expected_version=c.version, unit=w.other_unit)
    d = drive(report(w), w, "register", "assign", "accept", "submit", "verify_pass")
    e = report(w)
    # a is overdue: its deadline has passed (set directly: setting up, not acting).
    type(a).objects.filter(pk=a.pk).update(due_at=timezone.now() - timezone.timedelta(days=1))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_office_export_holds_every_case_of_the_ledger_with_the_pages_totals(world, ledger):
    client = client_for(world.office)
    response = client.get(reverse("bulletins:ledger_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = workbook(response)
    rows = ledger_rows(book)
    assert len(rows) == 5 == cases_for_user(world.office.user).count()
    codes = {row[1] for row in rows}
    assert codes == {c.tracking_code for c in ledger.values()}
    assert [row[0] for row in rows] == [1, 2, 3, 4, 5]
    overdue_column = [h for h, _w in headers()].index("Overdue")
    assert sum(1 for row in rows if row[overdue_column] == "Yes") == 1
    # The same figures as the ledger page's tiles.
    page = client.get(reverse("cases:ledger"))
    counts = page.context["counts"]
    totals = totals_sheet(book)
    assert totals["Cases"] == 5
    assert totals["Overdue cases"] == counts["overdue"] == 1
    assert totals["Open"] == counts["open"] == 4
    assert totals["Closed"] == counts["closed"] == 1


def test_a_clerks_export_holds_only_their_units_cases(world, ledger):
    response = client_for(world.clerk).get(reverse("bulletins:ledger_export"))
    rows = ledger_rows(workbook(response))
    expected = {ledger[k].tracking_code for k in ("a", "b", "d")}
    assert {row[1] for row in rows} == expected
    assert len(rows) == cases_for_user(world.clerk.user).count() == 3
    unit_column = [h for h, _w in headers()].index("Responsible unit")
    assert {row[unit_column] for row in rows} == {world.unit.name}


def test_the_export_applies_the_ledger_filters(world, ledger):
    client = client_for(world.office)
    rows = ledger_rows(workbook(client.get(reverse("bulletins:ledger_export") + "?overdue=yes")))
    assert [row[1] for row in rows] == [ledger["a"].tracking_code]
    rows = ledger_rows(workbook(client.get(reverse("bulletins:ledger_export") + "?status=closed")))
    assert [row[1] for row in rows] == [ledger["d"].tracking_code]
    now = timezone.now()
    assert cases_for_user(world.office.user).filter(overdue_q(now)).count() == 1


def test_a_description_that_looks_like_a_formula_is_written_as_text(world, ledger):
    response = client_for(world.office).get(reverse("bulletins:ledger_export"))
    body = b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(body))  # not read-only: the cell's type is visible
    sheet = book.worksheets[0]
    cells = [row[4] for row in sheet.iter_rows(min_row=3) if str(row[4].value).startswith("=")]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_a_large_export_becomes_a_job_whose_file_only_its_requester_and_the_office_get(
    world, ledger, monkeypatch
):
    monkeypatch.setattr(views, "DIRECT_MAX_ROWS", 1)
    client = client_for(world.clerk)
    response = client.get(reverse("bulletins:ledger_export") + "?status=open")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "bulletins:job", args=[job.pk]
    )
    assert job.status == JobStatus.DONE
    assert job.rows_done == job.rows_total == 2  # a and b: the unit's open cases
    page = client.get(reverse("bulletins:job", args=[job.pk]))
    assert b'max="100" value="100"' in page.content
    download = client.get(reverse("bulletins:download", args=[job.pk]))
    assert download.status_code == 200
    rows = ledger_rows(workbook(download))
    assert {row[1] for row in rows} == {ledger["a"].tracking_code, ledger["b"].tracking_code}
    assert not re.search(r"/media/", download["Content-Disposition"])
    for outsider in (world.other_clerk, world.worker_a, world.inspector):
        c = client_for(outsider)
        assert c.get(reverse("bulletins:download", args=[job.pk])).status_code == 404
        assert c.get(reverse("bulletins:job", args=[job.pk])).status_code == 404
    assert (
        client_for(world.office).get(reverse("bulletins:download", args=[job.pk])).status_code
        == 200
    )


def test_residents_cannot_export(world, ledger):
    assert client_for(world.resident).get(reverse("bulletins:ledger_export")).status_code == 404
    assert Client().get(reverse("bulletins:ledger_export")).status_code == 302  # to the login
