import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from civgrid.bulletins import jobs, ledger
from civgrid.bulletins.jobs import fail_stale, request_export, run_job
from civgrid.bulletins.models import ExportJob, ExportKind, JobStatus
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


def test_a_job_is_run_once_however_many_runners_pick_it(world, seven_cases, settings):
    settings.CIVGRID_EXPORT_RUNNER = "worker"
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    assert job.status == JobStatus.QUEUED
    first = run_job(job.pk)
    finished_at = first.finished_at
    second = run_job(job.pk)
    assert first.status == second.status == JobStatus.DONE
    assert second.finished_at == finished_at


def test_the_worker_command_runs_queued_jobs(world, seven_cases, settings):
    settings.CIVGRID_EXPORT_RUNNER = "worker"
    job = request_export(
        actor=world.clerk.user, kind=ExportKind.LEDGER_XLSX, params={"filters": {"status": "open"}}
    )
    out = io.StringIO()
    call_command("export-worker", "--once", stdout=out)
    assert "ran 1 export(s)" in out.getvalue()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows_done == 7


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


def test_the_job_page_polls_while_the_job_runs(world, settings):
    settings.CIVGRID_EXPORT_RUNNER = "worker"
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


def test_the_thread_runner_starts_only_after_the_request_commits(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CIVGRID_EXPORT_RUNNER = "thread"
    started = []
    monkeypatch.setattr(jobs, "_start_thread", started.append)
    with django_capture_on_commit_callbacks(execute=True):
        job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
        assert started == []
    assert started == [job.pk]
