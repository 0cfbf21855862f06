"""An export job's page follows the job by itself (htmx polling) until the download appears,
in headless Chromium; the downloaded workbook opens and holds the ledger."""

from __future__ import annotations

import io

import openpyxl
import pytest
from playwright.sync_api import expect

from civgrid.bulletins.jobs import request_export
from civgrid.bulletins.models import ExportKind
from civgrid.scheduling.queue import run_database_worker
from civgrid.testing import report
from civgrid.testing_browser import DESKTOP, Console, log_in

pytestmark = pytest.mark.browser


def test_the_job_page_updates_itself_until_the_file_can_be_downloaded(
    live_server, browser, live_world, database_tasks
):
    world = live_world
    codes = {report(world).tracking_code for _ in range(3)}
    job = request_export(actor=world.office.user, kind=ExportKind.LEDGER_XLSX, params={})
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, live_server.url, "office", DESKTOP)
        page.goto(f"{live_server.url}/bulletins/jobs/{job.pk}/")
        expect(page.locator("#export-job")).to_have_attribute("data-status", "queued")

        run_database_worker()  # the worker runs it while the page is open

        # No reload: the polling partial swaps itself in with the download link.
        expect(page.locator("#export-job")).to_have_attribute("data-status", "done")
        with page.expect_download() as download:
            page.locator("#export-job a[download]").click()
        data = download.value.path().read_bytes()
        context.close()

    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    cells = {c for row in sheet.iter_rows(values_only=True) for c in row}
    assert codes <= cells
    assert console.errors == []
