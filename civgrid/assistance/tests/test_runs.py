"""Monthly payment runs: totals by hand, changes against last month, approval once, a locked
run never changed (corrections come as adjustments), payment file, scope."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from civgrid.assistance import actions, runs
from civgrid.assistance.models import EndReason, PaymentLine, PaymentRun, Standard
from civgrid.assistance.tests.factories import enrol, id_number
from civgrid.cases.errors import IllegalTransition, InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db
MARCH, APRIL = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
R = PaymentRun.Status


@pytest.fixture
def roll(rolls):
    w = rolls
    w.three = enrol(w, persons=3, name="张秀兰")  # grid A, from February
    w.one = enrol(w, household=w.home_a2, persons=1, name="王建国")
    w.later = enrol(w, persons=2, name="刘芳", starts_on=APRIL)  # not yet in March
    w.home_b_b = enrol(w, household=w.home_b, persons=2, name="赵强")  # grid B, same district
    w.other = enrol(w, programme=w.dibao2, household=w.home2, persons=4)  # 淮阳区: another run
    w.pending = enrol(w, approve=False, name="未批准")  # proposed only: not paid
    return w


def amounts(run):
    return {
        (line.beneficiary.name, line.for_month, line.kind): line.amount
        for line in run.lines.select_related("beneficiary")
    }


def pay_out(w, run):
    run = runs.approve_run(run, actor=w.mz.user)
    runs.payment_file(run, actor=w.mz.user)
    run.refresh_from_db()
    return run


def test_a_runs_totals_are_the_hand_computed_ones(roll):
    run = runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    # 600 元 per person: 3 + 1 + 2 persons in 3 households; 刘芳 starts in April.
    assert (run.households, run.persons, run.amount) == (3, 6, Decimal("3600.00"))
    assert amounts(run) == {
        ("张秀兰", MARCH, "regular"): Decimal("1800.00"),
        ("王建国", MARCH, "regular"): Decimal("600.00"),
        ("赵强", MARCH, "regular"): Decimal("1200.00"),
    }
    assert run.district == roll.district and run.status == R.DRAFT


def test_drafting_again_replaces_the_draft_and_never_adds_a_second_run(roll):
    first = runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    again = runs.draft_run(roll.dibao, MARCH, actor=roll.mz_b.user)
    assert again.pk == first.pk and PaymentRun.objects.count() == 1
    assert again.lines.count() == 3 and again.amount == Decimal("3600.00")


def test_a_standard_raised_mid_year_is_paid_from_its_month(roll):
    Standard.objects.create(
        programme=roll.dibao, valid_from=APRIL, amount=Decimal("650"), created_at=timezone.now()
    )
    march = pay_out(roll, runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user))
    april = runs.draft_run(roll.dibao, APRIL, actor=roll.mz.user)
    assert march.amount == Decimal("3600.00")
    assert april.amount == Decimal("5200.00")  # 8 persons × 650, 刘芳 included


def test_a_run_is_approved_once_and_then_never_drafted_again(roll):
    run = runs.approve_run(
        runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user), actor=roll.mz.user
    )
    with pytest.raises(IllegalTransition):
        runs.approve_run(run, actor=roll.mz_b.user)
    with pytest.raises(IllegalTransition):
        runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    assert run.events.filter(kind="approved").count() == 1


def test_a_draft_older_than_a_change_to_the_roll_cannot_be_approved(roll):
    run = runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    actions.approve_enrolment(roll.pending, actor=roll.mz.user)
    with pytest.raises(IllegalTransition, match="draft it again"):
        runs.approve_run(run, actor=roll.mz.user)
    run = runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    assert runs.approve_run(run, actor=roll.mz.user).status == R.APPROVED


def test_the_next_month_waits_until_this_one_is_paid_out(roll):
    runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    with pytest.raises(IllegalTransition):
        runs.draft_run(roll.dibao, APRIL, actor=roll.mz.user)


def test_a_locked_run_is_unchanged_by_later_edits_which_come_as_adjustments_next_month(roll):
    march = pay_out(roll, runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user))
    assert march.status == R.LOCKED
    before = amounts(march)
    # Reported in April: 王建国 died on 20 February (paid for March by mistake) …
    actions.propose_end(
        roll.one, actor=roll.community.user, reason=EndReason.DIED, ends_on=dt.date(2026, 2, 20)
    )
    actions.approve_end(roll.one, actor=roll.mz.user)
    # … and 孙丽, approved late, was owed from March.
    late = enrol(roll, persons=1, name="孙丽", starts_on=MARCH)
    march.refresh_from_db()
    assert amounts(march) == before and march.amount == Decimal("3600.00")
    with pytest.raises(IllegalTransition):
        runs.approve_run(march, actor=roll.mz.user)
    april = runs.draft_run(roll.dibao, APRIL, actor=roll.mz.user)
    lines = amounts(april)
    assert lines[("王建国", MARCH, "adjustment")] == Decimal("-600.00")
    assert lines[("孙丽", MARCH, "adjustment")] == Decimal("600.00")
    assert lines[("孙丽", APRIL, "regular")] == Decimal("600.00")
    assert ("王建国", APRIL, "regular") not in lines
    # Regular: 张秀兰 1800 + 刘芳 1200 + 赵强 1200 + 孙丽 600; adjustments -600 + 600.
    assert april.amount == Decimal("4800.00")
    assert late.pk in {c.beneficiary_id for c in runs.changes(april).new}
    # Once April is paid out, May adjusts nothing again.
    pay_out(roll, april)
    may = runs.draft_run(roll.dibao, dt.date(2026, 5, 1), actor=roll.mz.user)
    assert not may.lines.filter(kind=PaymentLine.Kind.ADJUSTMENT).exists()


def test_changes_against_last_month_list_new_stopped_and_changed(roll):
    pay_out(roll, runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user))
    actions.propose_end(
        roll.home_b_b, actor=roll.mz.user, reason=EndReason.MOVED_OUT, ends_on=dt.date(2026, 3, 31)
    )
    actions.approve_end(roll.home_b_b, actor=roll.mz_b.user)
    Standard.objects.create(
        programme=roll.dibao, valid_from=APRIL, amount=Decimal("650"), created_at=timezone.now()
    )
    found = runs.changes(runs.draft_run(roll.dibao, APRIL, actor=roll.mz.user))
    assert [line.beneficiary.name for line in found.new] == ["刘芳"]
    assert [line.beneficiary.name for line in found.stopped] == ["赵强"]
    assert {(line.beneficiary.name, old) for line, old in found.changed} == {
        ("张秀兰", Decimal("1800.00")),
        ("王建国", Decimal("600.00")),
    }


def test_a_person_owed_twice_for_one_month_stops_the_draft(roll):
    number = id_number(dt.date(1960, 2, 2))
    first = enrol(roll, id_number=number, name="重复")
    actions.propose_end(
        first, actor=roll.mz.user, reason=EndReason.OTHER, ends_on=dt.date(2026, 3, 3)
    )
    actions.approve_end(first, actor=roll.mz_b.user)
    enrol(roll, id_number=number, name="重复", starts_on=MARCH)
    with pytest.raises(InvalidInput, match="twice") as refused:
        runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    assert number not in str(refused.value) and number[-4:] in str(refused.value)
    assert not PaymentLine.objects.exists()


def test_the_payment_file_holds_full_accounts_and_locks_the_run(roll):
    run = runs.approve_run(
        runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user), actor=roll.mz.user
    )
    data = runs.payment_file(run, actor=roll.mz.user)
    run.refresh_from_db()
    assert run.status == R.LOCKED and run.locked_by == roll.mz.user
    sheet = load_workbook(io.BytesIO(data))["代发明细"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_name = {row[1]: row for row in rows[:-1]}
    assert by_name["张秀兰"][2:5] == ("周口农商银行", "6230520460001234567", 1800)
    assert [row[0] for row in rows[:-1]] == [1, 2, 3]
    assert rows[-1][0] == "合计" and rows[-1][4] == 3600
    # Written again: the same rows, one more event.
    again = load_workbook(io.BytesIO(runs.payment_file(run, actor=roll.mz_b.user)))["代发明细"]
    assert list(again.iter_rows(min_row=3, values_only=True)) == rows
    assert run.events.filter(kind="exported").count() == 2


def test_only_approved_runs_have_a_payment_file(roll):
    run = runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    with pytest.raises(IllegalTransition):
        runs.payment_file(run, actor=roll.mz.user)


def test_money_paid_too_much_is_listed_to_recover_with_a_masked_account(roll):
    pay_out(roll, runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user))
    actions.propose_end(
        roll.one, actor=roll.mz.user, reason=EndReason.DIED, ends_on=dt.date(2026, 2, 1)
    )
    actions.approve_end(roll.one, actor=roll.mz_b.user)
    april = runs.approve_run(
        runs.draft_run(roll.dibao, APRIL, actor=roll.mz.user), actor=roll.mz.user
    )
    book = load_workbook(io.BytesIO(runs.payment_file(april, actor=roll.mz.user)))
    names = [r[1] for r in book["代发明细"].iter_rows(min_row=3, values_only=True)]
    assert "王建国" not in names
    recover = list(book["应追回"].iter_rows(min_row=2, values_only=True))
    assert recover == [("王建国", "***************4567", 600, "多发待追回")]


def test_payments_are_民政s_inside_its_district_and_the_office_only_reads(roll):
    run = runs.draft_run(roll.dibao, MARCH, actor=roll.mz.user)
    for persona in ("mz2", "community", "office", "city_office", "worker_a"):
        with pytest.raises(NotAllowed):
            runs.draft_run(
                roll.dibao, MARCH, actor=getattr(roll, persona).user, district=roll.district
            )
        with pytest.raises(NotAllowed):
            runs.approve_run(run, actor=getattr(roll, persona).user)
    assert runs.get_run_for_user(roll.office.user, run.pk) == run
    assert runs.get_run_for_user(roll.city_office.user, run.pk) == run
    for persona in ("office2", "mz2", "community", "worker_a", "inspector"):
        with pytest.raises(Http404):
            runs.get_run_for_user(getattr(roll, persona).user, run.pk)
