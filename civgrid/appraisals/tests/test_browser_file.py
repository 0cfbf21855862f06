"""In a real browser: a branch fills its self-assessment with a photo as evidence and passes
it on; the acceptance group's evaluator scores it and the grade is computed."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from civgrid.appraisals import cycles
from civgrid.appraisals.models import Enrolment, Evidence
from civgrid.appraisals.tests.factories import five_star_scheme, make_branch
from civgrid.notices.defaults import restore_default_rules
from civgrid.org.models import Role
from civgrid.testing import make_person, png_bytes
from civgrid.testing_browser import DESKTOP, Console, log_in

pytestmark = pytest.mark.browser


def fill_scores(page, minus: dict[str, str] | None = None) -> None:
    minus = minus or {}
    inputs = page.locator("input.score-input")
    for i in range(inputs.count()):
        box = inputs.nth(i)
        code = box.get_attribute("aria-label")
        box.fill(minus.get(code, box.get_attribute("max")))


def test_a_branch_fills_its_file_with_evidence_and_the_evaluator_grades_it(
    live_server, browser, live_world, tmp_path
):
    w = live_world
    restore_default_rules()
    scheme = five_star_scheme(w.office.user)
    filler = make_person(Role.UNIT_CLERK, username="filler", unit=w.unit, name="支部联络员小陈")
    branch = make_branch(
        w.grid_a, code="B1", name="城管局机关党支部", unit=w.unit, parent_unit=w.other_unit
    )
    branch.fillers.add(filler)
    evaluator = make_person(Role.INSPECTOR, username="evaluator", name="考评员老吴")
    cycle = cycles.open_cycle(scheme, actor=w.office.user, year=2026)
    cycles.add_evaluator(cycle, evaluator, trained_on=dt.date(2026, 10, 20), actor=w.office.user)
    (enrolment,) = cycles.enrol(cycle, [branch], actor=w.office.user)
    photo = tmp_path / "活动室.png"
    photo.write_bytes(png_bytes())
    base = live_server.url
    url = f"{base}/appraisals/files/{enrolment.pk}/"
    with browser() as launched:
        console = Console()
        context, page = log_in(launched, console, base, "filler", DESKTOP)
        page.goto(url)
        page.select_option("#ev-point", "ZG2-1")
        page.set_input_files("#ev-file", str(photo))
        page.click("#evidence-form button[type=submit]")
        expect(page.locator("tr[data-point='ZG2-1'] a[data-evidence]")).to_have_text("活动室.png")
        fill_scores(page)
        page.click("#submit-file")
        expect(page.locator("#score-form")).to_have_count(0)
        context.close()
        enrolment.refresh_from_db()
        assert (enrolment.status, enrolment.level) == (Enrolment.Status.REVIEW, 2)
        assert Evidence.objects.get().kind == "photo"

        # The parent committee passes it on (its page is the same form).
        full = {p.code: p.max_points for p in scheme.points.all()}
        cycles.score(enrolment, actor=w.other_clerk.user, scores=full)
        cycles.submit(enrolment, actor=w.other_clerk.user)

        context, page = log_in(launched, console, base, "evaluator", DESKTOP)
        page.goto(url)
        fill_scores(page, {"FW1-1": "2"})  # 服务群众星 falls below its pass mark
        page.click("#submit-file")
        expect(page.locator("#file-grade")).to_be_visible()
        enrolment.refresh_from_db()
        expect(page.locator("#file-grade")).to_contain_text(enrolment.grade)
        context.close()
    assert (enrolment.status, enrolment.rank) == (Enrolment.Status.ACCEPTED, 4)
    assert console.errors == []
