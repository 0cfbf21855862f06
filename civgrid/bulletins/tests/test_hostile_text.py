"""Text stored before control characters were refused (or written straight into the
database) never breaks an export: the ledger workbook and the Word bulletin are produced, the
characters XML cannot hold are left out, and text that looks like a formula stays text."""

import datetime as dt
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from civgrid.bulletins.bulletin import write_bulletin
from civgrid.bulletins.jobs import request_export
from civgrid.bulletins.models import ExportKind, JobStatus
from civgrid.cases.models import Case, Category
from civgrid.org.models import Unit
from civgrid.reports.periods import Period
from civgrid.testing import PASSWORD, drive, report

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()


@pytest.fixture
def hostile_case(world):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        case = drive(report(world), world, "register", "assign")
    Case.objects.filter(pk=case.pk).update(
        description="=1+1\x07响铃",
        address="@SUM(A1)\x1b[31m",
        reply="\u202e反转\u202c 回复\t制表",
    )
    Unit.objects.filter(pk=world.unit.pk).update(name="城管局\x07\u202e")
    Category.objects.filter(pk=world.category.pk).update(name="-2+3\x1b")
    return case


def test_the_ledger_export_writes_hostile_text_as_plain_text(world, hostile_case):
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    assert job.status == JobStatus.DONE, job.error
    sheet = load_workbook(job.path()).worksheets[0]
    row = [cell for cell in sheet[3]]
    values = {cell.value: cell.data_type for cell in row if isinstance(cell.value, str)}
    assert values["=1+1响铃"] == "s"
    assert values["@SUM(A1)[31m"] == "s"
    assert values["-2+3"] == "s"
    assert "反转 回复\t制表" in values and "城管局" in values


def test_the_direct_ledger_download_answers_with_hostile_text_stored(world, hostile_case):
    client = Client()
    client.login(username="office", password=PASSWORD)
    response = client.get(reverse("bulletins:ledger_export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [c.value for c in sheet[3] if c.data_type == "f"] == []
    assert "=1+1响铃" in [c.value for c in sheet[3]]


def test_the_word_bulletin_is_produced_with_hostile_names_stored(world, hostile_case, tmp_path):
    path = tmp_path / "bulletin.docx"
    now = dt.datetime(2026, 4, 20, 9, tzinfo=TZ)
    write_bulletin(path, Period.month(dt.date(2026, 3, 1)), user=world.office.user, now=now)
    doc = Document(str(path))
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert "城管局" in cells and "-2+3" in cells
