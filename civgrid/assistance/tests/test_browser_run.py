"""The monthly payment run in Chromium: 民政 drafts March, reads the totals, approves and
downloads the bank's payment file, which locks the run."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from civgrid.assistance.models import PaymentRun
from civgrid.assistance.tests.factories import build_rolls, enrol
from civgrid.testing import build_city
from civgrid.testing_browser import DESKTOP, Console, log_in

pytestmark = pytest.mark.browser


def test_a_monthly_run_goes_from_draft_to_an_approved_payment_file(
    live_server, browser, live_world
):
    w = build_rolls(build_city(live_world))
    enrol(w, name="张秀兰", persons=3)
    enrol(w, household=w.home_a2, name="王建国")
    base = live_server.url
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "minzheng", DESKTOP)
        page.goto(f"{base}/assistance/runs/")
        page.select_option("#id_programme", str(w.dibao.pk))
        page.fill("#id_month", "2026-03")
        page.click("#draft-form button[type=submit]")
        expect(page.locator("#run-status")).to_have_text("草稿")
        expect(page.locator("#amount")).to_have_text("2400.00")
        expect(page.locator("#persons")).to_have_text("4")
        expect(page.locator("#changes-new li")).to_have_count(2)
        page.click("#approve")
        expect(page.locator("#run-status")).to_have_text("已审批")
        with page.expect_download() as download:
            page.click("#payment-file")
        data = Path(download.value.path()).read_bytes()
        rows = list(
            load_workbook(io.BytesIO(data))["代发明细"].iter_rows(min_row=3, values_only=True)
        )
        assert {row[1] for row in rows[:-1]} == {"张秀兰", "王建国"}
        assert rows[-1][4] == 2400
        page.reload()
        expect(page.locator("#run-status")).to_have_text("已发放锁定")
        context.close()
    run = PaymentRun.objects.get()
    assert run.status == PaymentRun.Status.LOCKED and run.locked_by == w.mz.user
    assert console.errors == []
