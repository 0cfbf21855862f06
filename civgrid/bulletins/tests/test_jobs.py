import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from civgrid.bulletins import ledger
from civgrid.bulletins.jobs import check_stale, fail_stale, request_export, run_export, run_job
from civgrid.bulletins.models import ExportJob, ExportKind, JobStatus
from civgrid.scheduling.queue import run_database_worker
from civgrid.testing import PASSWORD, drive, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_cases(world):
    return [drive(report(world), world, "register", "assign") for _ in range(7)]


def test_a_job_reports_progress_until_rows_done_reaches_rows_total(world, seven_cases, monkeypatch):
    monkeypatch.setattr(ledger, "PROGRESS_EVERY", 2)
    seen = []
    original = ExportJob.objects.filter

    def spy(*args, **kwargs):
        qs = original(*args, **kwargs)
        update = qs.update

        def recording_update(**fields):
            if "rows_done" in fields:
                seen.append(fields["rows_done"])
            return update(**fields)

        qs.update = recording_update
        return qs

    monkeypatch.setattr(ExportJob.objects, "filter", spy)
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    assert job.status == JobStatus.DONE
    assert job.rows_total == job.rows_done == 7
    # every second row, then the end (7 is written twice: after the last row and when done)
    assert seen[:4] == [2, 4, 6, 7]
    assert seen[-1] == 7
    assert job.percent == 100
    book = load_workbook(job.path(), read_only=True)
    assert len(list(book.worksheets[0].iter_rows(values_only=True))) == 2 + 7
    assert job.path().parent.name == "exports"


def test_a_failing_job_records_the_error_and_leaves_no_file(world, seven_cases, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ledger, "write_ledger", broken)
    from civgrid.bulletins import exporters

    monkeypatch.setattr(exporters, "write_ledger", broken)
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    assert job.status == JobStatus.FAILED
    assert "disk full" in job.error
    assert job.file_name == "" and job.finished_at is not None
    client = Client()
    client.login(username="office", password=PASSWORD)
    assert client.get(reverse("bulletins:download", args=[job.pk])).status_code == 404
    page = client.get(reverse("bulletins:job", args=[job.pk]))
    assert b"disk full" in page.content and b'hx-trigger="every 1s"' not in page.content


def test_a_job_is_run_once_however_many_runners_pick_it(world, seven_cases, database_tasks):
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    assert job.status == JobStatus.QUEUED
    first = run_job(job.pk)
    finished_at = first.finished_at
    second = run_job(job.pk)
    assert first.status == second.status == JobStatus.DONE
    assert second.finished_at == finished_at


def test_an_export_runs_through_the_database_queue_and_its_worker(
    world, seven_cases, database_tasks
):
    job = request_export(
        actor=world.clerk.user, kind=ExportKind.LEDGER_XLSX, params={"filters": {"status": "open"}}
    )
    assert job.status == JobStatus.QUEUED
    task = DBTaskResult.objects.get()
    assert task.task_path == "civgrid.bulletins.jobs.run_export" and task.args_kwargs["args"] == [
        job.pk
    ]
    run_database_worker()
    job.refresh_from_db()
    task.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows_done == 7 and job.path().exists()
    assert task.status == "SUCCESSFUL" and task.return_value == "done"


def test_a_task_delivered_twice_writes_the_export_once(world, seven_cases, database_tasks):
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    run_export.enqueue(job.pk)  # the same job on the queue twice
    run_database_worker()
    job.refresh_from_db()
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert job.status == JobStatus.DONE
    assert [p.name for p in job.path().parent.iterdir()] == [job.file_name]


def test_an_export_asked_for_in_a_transaction_that_rolls_back_leaves_no_task(world, database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
        raise RuntimeError("the request failed after asking")
    assert not ExportJob.objects.exists() and not DBTaskResult.objects.exists()


def test_the_stale_check_fails_interrupted_jobs_and_enqueues_lost_ones_again(
    world, seven_cases, database_tasks
):
    now = timezone.now()
    lost = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    DBTaskResult.objects.all().delete()  # its task is gone (e.g. Redis was flushed)
    ExportJob.objects.filter(pk=lost.pk).update(created_at=now - dt.timedelta(minutes=11))
    interrupted = ExportJob.objects.create(
        kind=ExportKind.LEDGER_XLSX,
        requested_by=world.office.user,
        status=JobStatus.RUNNING,
        created_at=now - dt.timedelta(hours=1),
        started_at=now - dt.timedelta(hours=1),
        heartbeat_at=now - dt.timedelta(minutes=11),
    )
    assert check_stale(now) == "1 interrupted export(s) failed, 1 lost one(s) enqueued again"
    run_database_worker()
    lost.refresh_from_db()
    interrupted.refresh_from_db()
    assert lost.status == JobStatus.DONE and lost.rows_done == 7
    assert interrupted.status == JobStatus.FAILED and "Interrupted" in interrupted.error


def test_a_running_job_without_heartbeat_is_marked_failed(world):
    now = timezone.now()
    job = ExportJob.objects.create(
        kind=ExportKind.LEDGER_XLSX,
        requested_by=world.office.user,
        status=JobStatus.RUNNING,
        created_at=now - dt.timedelta(hours=1),
        started_at=now - dt.timedelta(hours=1),
        heartbeat_at=now - dt.timedelta(minutes=11),
    )
    fresh = ExportJob.objects.create(
        kind=ExportKind.LEDGER_XLSX,
        requested_by=world.office.user,
        status=JobStatus.RUNNING,
        created_at=now,
        started_at=now,
        heartbeat_at=now - dt.timedelta(minutes=1),
    )
    assert fail_stale(now) == 1
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == JobStatus.FAILED and "Interrupted" in job.error
    assert fresh.status == JobStatus.RUNNING


def test_the_job_page_polls_while_the_job_runs(world, database_tasks):
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    client = Client()
    client.login(username="office", password=PASSWORD)
    page = client.get(reverse("bulletins:job", args=[job.pk]))
    assert b'hx-trigger="every 1s"' in page.content
    partial = client.get(reverse("bulletins:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert partial.content.strip().startswith(b'<div id="export-job"')


def test_the_api_asks_for_an_export_and_reports_its_progress(world, seven_cases):
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    response = client.post(
        "/api/v1/exports/",
        {"kind": "ledger_xlsx", "filters": {"status": "open"}},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "done" and body["rows_total"] == 7 and body["percent"] == 100
    assert body["download_url"] == reverse("bulletins:download", args=[body["id"]])
    assert client.get(f"/api/v1/exports/{body['id']}/").json()["rows_done"] == 7
    refused = client.post(
        "/api/v1/exports/",
        {"kind": "bulletin_docx", "period": "2024-03"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    other = Client()
    other.login(username="clerk2", password=PASSWORD)
    assert other.get(f"/api/v1/exports/{body['id']}/").status_code == 404
