"""The dashboard in headless Chromium: charts and map drawn, figures clickable, no errors.

Screenshots go to /tmp/civgrid-shots/ (reports-dashboard.png, reports-drilldown.png).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from civgrid.reports.tests.ledger import build_ledger
from civgrid.testing_browser import DESKTOP, SHOTS, Console, log_in

pytestmark = pytest.mark.browser

CHARTS = ("trend", "units", "sources", "categories")


def test_the_dashboard_draws_its_charts_and_map_and_opens_the_cases_behind_a_figure(
    live_server, browser, live_world
):
    build_ledger(live_world)
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "office", DESKTOP)
        page.goto(f"{base}/reports/?period=2024-03")
        for name in CHARTS:
            chart = page.locator(f'[data-chart="{name}"][data-chart-ready]')
            expect(chart.locator("canvas")).to_have_count(1)
        expect(page.locator("[data-report-map][data-map-ready]")).to_be_visible()
        grids = page.locator("[data-report-map] path.leaflet-interactive")
        expect(grids).to_have_count(2)
        grid_a = page.locator(f'path[data-grid="{live_world.grid_a.pk}"]')
        expect(grid_a).to_have_attribute("data-overdue", "1")
        expect(grid_a).to_have_attribute("data-open", "3")
        page.screenshot(path=str(SHOTS / "reports-dashboard.png"), full_page=True)

        # A tile opens the list of exactly the cases it counts.
        figure = page.locator('[data-tile="reported"] [data-value]').inner_text()
        assert figure == "13"
        page.click('[data-tile="reported"] a.tile')
        page.wait_for_url("**/reports/cases/**")
        expect(page.locator("[data-drill-count]")).to_have_text(figure)
        expect(page.locator("tr[data-case]")).to_have_count(13)
        page.screenshot(path=str(SHOTS / "reports-drilldown.png"), full_page=True)

        # A grid on the map opens its overdue cases.
        page.go_back()
        page.locator(f'path[data-grid="{live_world.grid_a.pk}"]').click()
        page.wait_for_url("**/reports/cases/**")
        expect(page.locator("[data-drill-count]")).to_have_text("1")

        # A bar of the unit ranking opens that unit's closed cases of the cohort.
        page.go_back()
        page.goto(f"{base}/reports/rankings/?period=2024-03")
        expect(page.locator("table[data-ranking=unit] tbody tr")).to_have_count(2)

        # The period pickers: a quarter is chosen from a list, not typed into a text box.
        expect(page.locator("#period-month")).to_be_visible()
        expect(page.locator("#period-quarter")).to_be_hidden()
        page.select_option("#period-kind", "quarter")
        expect(page.locator("#period-quarter")).to_be_visible()
        expect(page.locator("#period-month")).to_be_hidden()
        page.select_option("#period-quarter", "2024-Q1")
        page.click("form[data-period-picker] button[type=submit]")
        page.wait_for_url("**kind=quarter**")
        assert "month=" not in page.url  # the hidden pickers are not sent
        expect(page.locator(".rank-section h2").first).to_contain_text("2024")
        context.close()
        assert console.errors == []
