"""A work-log entry whose stored text holds control characters, a bidi override or what
looks like a formula still exports: the workbook holds it as plain text, the briefing is
written, no export job fails; and the entry form and API refuse such text."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from civgrid.bulletins.jobs import request_export
from civgrid.bulletins.models import ExportKind, JobStatus
from civgrid.org.models import Unit
from civgrid.testing import PASSWORD
from civgrid.worklogs.actions import record_work
from civgrid.worklogs.models import ActivityKind, WorkLog

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 4, 15, 10, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def hostile_log(world):
    entry = record_work(
        actor=world.clerk.user,
        unit=world.unit,
        worked_on=dt.date(2026, 3, 31),
        kind=ActivityKind.ENVIRONMENT,
        now=NOW,
        person_times=10,
        description="清理",
    )
    WorkLog.objects.filter(pk=entry.pk).update(description="@SUM(A1)\x07清理\u202e小广告")
    Unit.objects.filter(pk=world.unit.pk).update(name="=1+1\x1b城管局")
    return entry


@time_machine.travel(NOW, tick=False)
def test_the_work_log_workbook_holds_hostile_text_as_plain_text(world, hostile_log):
    params = {"period": "2026-03"}
    job = request_export(actor=world.office.user, kind=ExportKind.WORKLOGS_XLSX, params=params)
    assert job.status == JobStatus.DONE, job.error
    book = load_workbook(job.path())
    row = {c.value: c.data_type for c in book.worksheets[0][3] if isinstance(c.value, str)}
    assert row["@SUM(A1)清理小广告"] == "s" and row["=1+1城管局"] == "s"
    units = [c for c in book.worksheets[1]["A"] if c.value == "=1+1城管局"]
    assert units and all(c.data_type == "s" for c in units)


@time_machine.travel(NOW, tick=False)
def test_the_work_briefing_is_written_with_hostile_text_stored(world, hostile_log):
    params = {"period": "2026-03"}
    job = request_export(actor=world.office.user, kind=ExportKind.BRIEFING_DOCX, params=params)
    assert job.status == JobStatus.DONE, job.error
    text = "\n".join(p.text for p in Document(str(job.path())).paragraphs)
    assert "@SUM(A1)清理小广告" in text


@time_machine.travel(NOW, tick=False)
def test_the_entry_form_and_the_api_refuse_a_control_character_and_save_nothing(world):
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    page = client.post(
        reverse("worklogs:new"),
        {
            "worked_on": "2026-04-14",
            "kind": ActivityKind.ENVIRONMENT,
            "person_times": 3,
            "description": "清理\x07",
        },
    )
    assert "U+0007" in page.content.decode()
    api = client.post(
        "/api/v1/worklogs/",
        {
            "worked_on": "2026-04-14",
            "kind": ActivityKind.ENVIRONMENT,
            "person_times": 3,
            "description": "清理\u202e",
        },
        content_type="application/json",
    )
    assert api.status_code == 400 and "U+202E" in api.content.decode()
    assert not WorkLog.objects.exists()
