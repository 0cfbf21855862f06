"""A safety check item by item: hidden dangers on the ledger once, deadlines by item,
re-inspection as the ledger's verification, assignment and replay rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from civgrid.cases import actions as case_actions
from civgrid.cases.errors import IllegalTransition, InvalidInput, NotAllowed
from civgrid.cases.models import Case, Source
from civgrid.cases.workflow import Status
from civgrid.safety import campaigns
from civgrid.safety.checks import dispatch, record_check
from civgrid.safety.models import Hazard, SafetyCheck
from civgrid.safety.tests.factories import answers, build_campaign
from civgrid.testing import photo_upload


@pytest.fixture
def w(world):
    return build_campaign(world)


def test_a_failed_item_is_one_case_assigned_to_the_regulator_with_the_items_deadline(w):
    check, created = record_check(
        w.assignment_eatery, actor=w.inspector.user, answers=answers(w, failed=["XF-01"])
    )
    assert created and check.results.count() == 3
    hazard = Hazard.objects.get()
    case = hazard.case
    assert (hazard.enterprise, hazard.grade) == (w.eatery, "major")
    assert (case.source, case.status, case.unit, case.category) == (
        Source.SAFETY_INSPECTION,
        Status.ASSIGNED,
        w.unit,
        w.fire,
    )
    assert "老张烩面馆" in case.description and "张师傅" in case.description
    # XF-01 gives one working day: due by the end of the next working day.
    from civgrid.lib import workdays

    next_day = workdays.add_workdays(timezone.localdate(), 1)
    assert timezone.localtime(case.due_at).date() == next_day + dt.timedelta(days=1)


def test_replaying_an_offline_check_creates_each_hazard_once(w):
    first, created = record_check(
        w.assignment_eatery,
        actor=w.worker_a.user,
        answers=answers(w, failed=["XF-01", "SP-01"]),
        client_key="phone-1",
    )
    again, created_again = record_check(
        w.assignment_eatery,
        actor=w.worker_a.user,
        answers=answers(w, failed=["XF-01", "SP-01"]),
        client_key="phone-1",
    )
    assert created and not created_again and again == first
    assert SafetyCheck.objects.count() == 1
    assert Hazard.objects.count() == Case.objects.count() == 2


def test_a_check_of_an_enterprise_outside_your_group_is_refused(w):
    with pytest.raises(NotAllowed):
        record_check(w.assignment_eatery, actor=w.worker_b.user, answers=answers(w))
    assert not SafetyCheck.objects.exists()


def test_every_item_of_the_venues_checklist_is_answered(w):
    with pytest.raises(InvalidInput, match="SP-01"):
        record_check(w.assignment_eatery, actor=w.inspector.user, answers=answers(w)[:2])
    with pytest.raises(InvalidInput):  # SP-01 does not apply to a hotel
        record_check(w.assignment_hotel, actor=w.inspector.user, answers=answers(w))


def test_a_hazard_fixed_on_the_spot_is_closed_at_once_with_its_photo(w):
    record_check(
        w.assignment_eatery,
        actor=w.inspector.user,
        answers=answers(w, on_spot=["XF-05"], photos=[photo_upload()]),
    )
    case = Hazard.objects.get().case
    assert case.status == Status.CLOSED and case.fixed_on_spot
    assert case.photos.filter(kind="evidence").count() == 1


def test_a_hazard_is_crossed_off_only_by_a_passed_re_inspection(w):
    record_check(w.assignment_eatery, actor=w.inspector.user, answers=answers(w, failed=["XF-01"]))
    case = Hazard.objects.get().case
    case = case_actions.accept(case, actor=w.clerk.user, expected_version=case.version)
    with pytest.raises((IllegalTransition, NotAllowed)):  # no re-inspection before the fix
        case_actions.verify_pass(case, actor=w.inspector.user, expected_version=case.version)
    case = case_actions.submit(
        case,
        actor=w.clerk.user,
        expected_version=case.version,
        note="已清理",
        photos=[photo_upload()],
    )
    with pytest.raises(NotAllowed):  # the unit that fixed it cannot re-inspect it
        case_actions.verify_pass(case, actor=w.clerk.user, expected_version=case.version)
    case = case_actions.verify_fail(
        case, actor=w.inspector.user, expected_version=case.version, reason="仍有杂物"
    )
    assert case.status == Status.REWORK and case.closed_at is None
    case = case_actions.submit(
        case,
        actor=w.clerk.user,
        expected_version=case.version,
        note="已清空",
        photos=[photo_upload()],
    )
    case = case_actions.verify_pass(case, actor=w.inspector.user, expected_version=case.version)
    assert case.status == Status.CLOSED


def test_a_grid_workers_hazard_waits_for_the_office_to_dispatch_it(w):
    record_check(w.assignment_eatery, actor=w.worker_a.user, answers=answers(w, failed=["SP-01"]))
    hazard = Hazard.objects.get()
    assert hazard.case.status == Status.REPORTED
    with pytest.raises(NotAllowed):
        dispatch(hazard, actor=w.worker_a.user)
    case = dispatch(hazard, actor=w.office.user)
    assert (case.status, case.unit, case.category) == (Status.ASSIGNED, w.unit, w.food)


def test_dividing_by_risk_puts_high_risk_kinds_first_in_each_group(w):
    from civgrid.enterprises.models import Kind
    from civgrid.enterprises.tests.factories import make_enterprise

    make_enterprise(w.grid_b, name="便利店", kind=Kind.SMALL_SHOP)
    second = campaigns.form_group(
        w.campaign, actor=w.office.user, name="第二检查组", members=[w.worker_b]
    )
    record_check(w.assignment_eatery, actor=w.inspector.user, answers=answers(w))  # keeps its group
    n = campaigns.divide(w.campaign, actor=w.office.user, by="risk", now=timezone.now())
    assert n == 2
    by_group = {
        a.group.name: a.enterprise.name for a in w.campaign.assignments.exclude(enterprise=w.eatery)
    }
    assert by_group == {"第一检查组": "国槐宾馆", "第二检查组": "便利店"}
    assert w.campaign.assignments.get(enterprise=w.eatery).group == w.group
    assert second.assignments.count() == 1


def test_the_enterprise_file_shows_its_checks_and_hazards(client, w):
    from django.urls import reverse

    from civgrid.testing import PASSWORD

    record_check(w.assignment_eatery, actor=w.inspector.user, answers=answers(w, failed=["XF-01"]))
    code = Hazard.objects.get().case.tracking_code
    client.login(username="office", password=PASSWORD)
    body = client.get(reverse("enterprises:detail", args=[w.eatery.pk])).content.decode()
    assert "安全出口畅通" in body and code in body and "冬春火灾防控专项检查" in body
