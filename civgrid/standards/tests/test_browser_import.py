"""The office imports the shipped sample framework through the two-step page in headless
Chromium: a first sheet with an error is refused row by row and nothing is written, the good
sheet is checked, confirmed and shows as the current edition with its tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from civgrid.standards.models import Framework, Standard
from civgrid.standards.tests.helpers import HEADER, demo_units_and_categories, xlsx
from civgrid.testing_browser import DESKTOP, Console, log_in

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample-framework.xlsx"


def test_the_office_checks_then_imports_the_sample_framework(live_server, browser, live_world):
    demo_units_and_categories()
    bad = xlsx(
        [
            [
                "01",
                "公共秩序",
                "01.01",
                "交通秩序",
                "S1",
                "道路整洁",
                "很多",
                "主次干道",
                "",
                "",
                "",
                "",
            ]
        ]
    )
    assert len(HEADER) == 12
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, live_server.url, "office", DESKTOP)
        page.goto(f"{live_server.url}/standards/import/")

        # A sheet with bad points: refused, the row and column named, nothing written.
        page.fill("#id_code", "2026")
        page.fill("#id_name", "测评体系（示例）")
        page.set_input_files(
            "#id_file",
            [{"name": "bad.xlsx", "mimeType": "application/octet-stream", "buffer": bad}],
        )
        page.click("form[enctype] button[type=submit]")
        expect(page.locator("table, .problems").first).to_contain_text("分值")
        assert not Framework.objects.exists()

        # The shipped sample: checked, then confirmed as the current edition.
        page.goto(f"{live_server.url}/standards/import/")
        page.fill("#id_code", "2026")
        page.fill("#id_name", "测评体系（示例）")
        page.set_input_files("#id_file", str(SAMPLE))
        page.click("form[enctype] button[type=submit]")
        confirm = page.locator("button[name=confirm]")
        expect(confirm).to_be_visible()
        assert not Framework.objects.exists()  # checking writes nothing
        confirm.click()
        page.wait_for_url(f"{live_server.url}/standards/editions/2026/")
        context.close()

    framework = Framework.objects.get(code="2026")
    assert framework.is_current  # the first edition becomes current
    assert Standard.objects.filter(framework=framework).count() == 37
    assert console.errors == []
