"""A campaign's figures hand-computed: 整改率 across a month boundary, hazards fixed on the spot
against those crossed off after 复查, overdue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from civgrid.cases import actions as case_actions
from civgrid.safety.checks import record_check
from civgrid.safety.figures import figures
from civgrid.safety.models import Hazard
from civgrid.safety.tests.factories import answers, build_campaign
from civgrid.testing import photo_upload

TZ = timezone.get_default_timezone()


def at(*args):
    return dt.datetime(*args, tzinfo=TZ)


@pytest.fixture
def w(world):
    w = build_campaign(world)
    with time_machine.travel(at(2026, 11, 27, 10, 0), tick=False):  # a Friday
        record_check(
            w.assignment_eatery,
            actor=w.inspector.user,
            answers=answers(w, failed=["XF-01"], on_spot=["XF-05"], photos=[photo_upload()]),
        )
    with time_machine.travel(at(2026, 11, 27, 11, 0), tick=False):
        record_check(
            w.assignment_hotel,
            actor=w.inspector.user,
            answers=answers(w, failed=["XF-05"], kind="hotel"),
        )
    exit_case = Hazard.objects.get(item__code="XF-01").case
    with time_machine.travel(at(2026, 11, 30, 16, 0), tick=False):
        exit_case = case_actions.accept(
            exit_case, actor=w.clerk.user, expected_version=exit_case.version
        )
        exit_case = case_actions.submit(
            exit_case,
            actor=w.clerk.user,
            expected_version=exit_case.version,
            note="已清理",
            photos=[photo_upload()],
        )
    with time_machine.travel(at(2026, 12, 1, 9, 0), tick=False):  # 复查 the next month
        case_actions.verify_pass(
            exit_case, actor=w.inspector.user, expected_version=exit_case.version
        )
    return w


def test_at_the_end_of_november_only_the_hazard_fixed_on_the_spot_is_rectified(w):
    f = figures(w.campaign, at(2026, 11, 30, 23, 59))
    assert (f.groups, f.enterprises_checked, f.hazards, f.major, f.general) == (1, 2, 3, 1, 2)
    assert (f.fixed_on_spot, f.rectified, f.overdue) == (1, 1, 0)
    assert f.rate == Decimal("33.33")


def test_in_december_the_re_inspected_hazard_counts_and_the_hotels_is_overdue(w):
    f = figures(w.campaign, at(2026, 12, 31, 12, 0))
    assert (f.hazards, f.fixed_on_spot, f.rectified, f.overdue) == (3, 1, 2, 1)
    assert f.rate == Decimal("66.67")
    assert f.by_item[0] == ("XF-05", "灭火器在有效期内", 2)


def test_the_sentence_reads_as_the_bulletin_says_it(w):
    from django.utils import translation

    with translation.override("zh-hans"):
        text = figures(w.campaign, at(2026, 12, 31, 12, 0)).sentence()
    assert (
        text
        == "派出1个检查组，检查企业2家，发现隐患3处（重大隐患1处），现场整改1处，隐患整改率66.67%，约谈警示企业0家。"
    )
