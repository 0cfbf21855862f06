import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from civgrid.bulletins.models import ExportJob, JobStatus
from civgrid.cases.actions import InvalidInput, NotAllowed
from civgrid.reports.periods import Period
from civgrid.testing import PASSWORD
from civgrid.worklogs.actions import correct_work, record_work
from civgrid.worklogs.models import ActivityKind, ImmutableError, WorkLog
from civgrid.worklogs.queries import totals, totals_by, worklogs_for_user

pytestmark = pytest.mark.django_db

TZ = timezone.get_default_timezone()
NOW = dt.datetime(2026, 4, 15, 10, tzinfo=TZ)
MARCH = Period.month(dt.date(2026, 3, 1))
APRIL = Period.month(dt.date(2026, 4, 1))


def log(
    world, by=None, unit=None, day=dt.date(2026, 3, 31), kind=ActivityKind.ENVIRONMENT, **figures
):
    return record_work(
        actor=(by or world.clerk).user,
        unit=unit or world.unit,
        worked_on=day,
        kind=kind,
        now=NOW,
        **(figures or {"person_times": 10}),
    )


def client_for(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_sums_count_the_days_of_the_period_and_no_others(world):
    log(world, day=dt.date(2026, 2, 28), person_times=1000)
    log(world, day=dt.date(2026, 3, 1), person_times=10, volume_removed=Decimal("1.25"))
    log(world, day=dt.date(2026, 3, 31), person_times=20, machine_times=2, volume_removed="3.50")
    log(world, day=dt.date(2026, 4, 1), person_times=300)
    logs = WorkLog.objects.all()
    march = totals(logs, MARCH)
    assert (march.entries, march.person_times, march.machine_times) == (2, 30, 2)
    assert march.volume_removed == Decimal("4.75")
    assert totals(logs, APRIL).person_times == 300
    assert (
        totals(logs, Period.custom(dt.date(2026, 3, 31), dt.date(2026, 4, 1))).person_times == 320
    )


def test_sums_by_unit_and_by_kind(world):
    log(world, person_times=10, kind=ActivityKind.ENVIRONMENT)
    log(world, person_times=5, kind=ActivityKind.PUBLICITY, items_installed=40)
    log(world, by=world.office, unit=world.other_unit, person_times=7, kind=ActivityKind.PUBLICITY)
    logs = WorkLog.objects.all()
    by_unit = {u.name: t.person_times for u, t in totals_by(logs, MARCH, "unit")}
    assert by_unit == {world.unit.name: 15, world.other_unit.name: 7}
    by_kind = {k: (t.person_times, t.items_installed) for k, t in totals_by(logs, MARCH, "kind")}
    assert by_kind == {"environment": (10, 0), "publicity": (12, 40)}


def test_a_correction_replaces_the_entry_in_the_sums_and_keeps_it_in_the_record(world):
    entry = log(world, person_times=700)
    fixed = correct_work(
        entry, actor=world.clerk.user, reason="多录了一个0", person_times=70, now=NOW
    )
    assert totals(WorkLog.objects.all(), MARCH).person_times == 70
    entry.refresh_from_db()
    assert entry.person_times == 700 and entry.is_superseded
    assert fixed.corrects == entry and fixed.correction_reason == "多录了一个0"
    with pytest.raises(InvalidInput):
        correct_work(entry, actor=world.clerk.user, reason="again", person_times=1, now=NOW)
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    # zero everywhere withdraws it from the sums
    correct_work(fixed, actor=world.office.user, reason="重复录入", person_times=0, now=NOW)
    assert totals(WorkLog.objects.all(), MARCH).entries == 1
    assert totals(WorkLog.objects.all(), MARCH).person_times == 0
    assert WorkLog.objects.count() == 3


@pytest.mark.parametrize(
    "change, field",
    [
        ({"person_times": -5}, "person_times"),
        ({"volume_removed": "-0.5"}, "volume_removed"),
        ({"volume_removed": "1.234"}, "volume_removed"),
        ({"machine_times": "abc"}, "machine_times"),
        ({"items_installed": 10**9}, "items_installed"),
        ({"day": dt.date(2026, 4, 16)}, "worked_on"),  # tomorrow
        ({"day": dt.date(2025, 1, 1)}, "worked_on"),  # more than a year back
        ({"kind": "party"}, "kind"),
        ({"person_times": 0}, "person_times"),  # nothing at all
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(world, change, field):
    figures = {"person_times": 10}
    day = change.pop("day", dt.date(2026, 4, 1))
    kind = change.pop("kind", ActivityKind.ENVIRONMENT)
    figures.update(change)
    with pytest.raises(InvalidInput) as refused:
        log(world, day=day, kind=kind, **figures)
    assert refused.value.field == field
    assert WorkLog.objects.count() == 0


def test_a_clerk_enters_and_sees_only_their_own_unit(world):
    with pytest.raises(NotAllowed):
        log(world, unit=world.other_unit)
    mine = log(world)
    theirs = log(world, by=world.other_clerk, unit=world.other_unit)
    assert list(worklogs_for_user(world.clerk.user)) == [mine]
    assert set(worklogs_for_user(world.office.user)) == {mine, theirs}
    assert set(worklogs_for_user(world.leader.user)) == {mine, theirs}
    assert not worklogs_for_user(world.worker_a.user).exists()
    assert not worklogs_for_user(world.resident.user).exists()
    with pytest.raises(NotAllowed):
        correct_work(theirs, actor=world.clerk.user, reason="x", person_times=1, now=NOW)
    with pytest.raises(NotAllowed):
        log(world, by=world.inspector)


@time_machine.travel(NOW, tick=False)
def test_the_page_lists_the_periods_sums_for_the_reader(world):
    log(world, person_times=10)
    log(world, by=world.other_clerk, unit=world.other_unit, person_times=5)
    office = client_for("office").get(reverse("worklogs:index") + "?period=2026-03")
    assert office.context["totals"].person_times == 15
    assert b'data-total="person_times">15<' in office.content
    clerk = client_for("clerk").get(reverse("worklogs:index") + "?period=2026-03")
    assert clerk.context["totals"].person_times == 10
    assert world.other_unit.name.encode() not in clerk.content
    assert client_for("worker_a").get(reverse("worklogs:index")).status_code == 404
    assert (
        client_for("clerk")
        .get(reverse("worklogs:index") + "?period=2026-13")
        .context["period_error"]
    )


@time_machine.travel(NOW, tick=False)
def test_the_entry_form_saves_good_input_and_refuses_bad_input(world):
    client = client_for("clerk")
    data = {
        "unit": world.unit.pk,
        "worked_on": "2026-04-14",
        "kind": "environment",
        "person_times": "30",
        "machine_times": "2",
        "volume_removed": "45.5",
        "items_installed": "0",
        "activities_held": "1",
        "description": "背街小巷集中清理",
    }
    bad = client.post(reverse("worklogs:new"), {**data, "person_times": "-3"})
    assert bad.status_code == 400
    assert b"cannot be negative" in bad.content
    assert WorkLog.objects.count() == 0
    other = client.post(reverse("worklogs:new"), {**data, "unit": world.other_unit.pk})
    assert other.status_code == 400 and WorkLog.objects.count() == 0
    future = client.post(reverse("worklogs:new"), {**data, "worked_on": "2026-04-16"})
    assert b"cannot be in the future" in future.content and WorkLog.objects.count() == 0
    good = client.post(reverse("worklogs:new"), data)
    assert good.status_code == 302
    entry = WorkLog.objects.get()
    assert (entry.person_times, entry.volume_removed, entry.entered_by) == (
        30,
        Decimal("45.50"),
        world.clerk.user,
    )
    fix = client.post(
        reverse("worklogs:correct", args=[entry.pk]),
        {**data, "person_times": "25", "reason": "人数核实"},
    )
    assert fix.status_code == 302
    assert totals(WorkLog.objects.all(), APRIL).person_times == 25
    assert client_for("clerk2").get(reverse("worklogs:correct", args=[entry.pk])).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_api_lists_enters_corrects_and_sums_in_scope(world):
    client = client_for("clerk")
    body = {"unit": "CGJ", "worked_on": "2026-04-10", "kind": "traffic", "person_times": 12}
    created = client.post("/api/v1/worklogs/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    refused = client.post(
        "/api/v1/worklogs/", {**body, "person_times": -1}, content_type="application/json"
    )
    assert refused.status_code == 400 and refused.json()["field"] == "person_times"
    forbidden = client.post(
        "/api/v1/worklogs/", {**body, "unit": "SCJ"}, content_type="application/json"
    )
    assert forbidden.status_code == 403
    assert WorkLog.objects.count() == 1
    log(world, by=world.other_clerk, unit=world.other_unit, day=dt.date(2026, 4, 2))
    listed = client.get("/api/v1/worklogs/?period=2026-04").json()
    assert [r["unit"] for r in listed["results"]] == [world.unit.pk]
    pk = created.json()["id"]
    fixed = client.post(
        f"/api/v1/worklogs/{pk}/corrections/",
        {"reason": "核实", "person_times": 9},
        content_type="application/json",
    )
    assert fixed.status_code == 201 and fixed.json()["corrects"] == pk
    sums = client_for("office").get("/api/v1/worklogs/totals/?period=2026-04&by=unit").json()
    assert {r["name"]: r["person_times"] for r in sums["results"]} == {
        world.unit.name: 9,
        world.other_unit.name: 10,
    }
    assert (
        client.get("/api/v1/worklogs/totals/?period=2026-04").json()["results"][0]["person_times"]
        == 9
    )
    assert client.get("/api/v1/worklogs/totals/").status_code == 400
    assert (
        client_for("clerk2")
        .post(
            f"/api/v1/worklogs/{pk}/corrections/", {"reason": "x"}, content_type="application/json"
        )
        .status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_the_excel_export_and_the_briefing_hold_the_pages_sums(world):
    log(world, person_times=10, volume_removed="2.5")
    log(
        world,
        by=world.other_clerk,
        unit=world.other_unit,
        kind=ActivityKind.PUBLICITY,
        person_times=5,
        items_installed=30,
    )
    client = client_for("office")
    page = client.get(reverse("worklogs:index") + "?period=2026-03")
    response = client.post(
        reverse("worklogs:export"), {"period": "2026-03", "kind": "worklogs_xlsx"}
    )
    job = ExportJob.objects.get()
    assert response["Location"] == reverse("bulletins:job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.rows_total == job.rows_done == 2
    body = b"".join(client.get(reverse("bulletins:download", args=[job.pk])).streaming_content)
    book = load_workbook(io.BytesIO(body), read_only=True)
    rows = list(book.worksheets[0].iter_rows(min_row=3, values_only=True))
    assert sum(r[4] for r in rows) == page.context["totals"].person_times == 15
    summary = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert summary[0][:3] == ("All", 2, 15)
    assert Decimal(str(summary[0][4])) == page.context["totals"].volume_removed == Decimal("2.50")
    client.post(reverse("worklogs:export"), {"period": "2026-03", "kind": "briefing_docx"})
    brief = ExportJob.objects.latest("id")
    assert brief.status == JobStatus.DONE, brief.error
    doc = Document(str(brief.path()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "15 person-times" in text and "2.50 m³" in text and "30 items" in text
    # a clerk's export holds their unit only
    clerk = client_for("clerk")
    clerk.post(reverse("worklogs:export"), {"period": "2026-03", "kind": "worklogs_xlsx"})
    mine = ExportJob.objects.latest("id")
    assert mine.rows_total == 1
