"""Check visits: the plan is the roll, a visit that finds a death proposes the end (民政
approves), a phone resending a check records it once, who was not seen is listed before paying."""

import datetime as dt

import pytest
import time_machine

from civgrid.assistance import actions, checks, runs, schedule
from civgrid.assistance.models import Beneficiary, CheckVisit, PaymentLine
from civgrid.assistance.tests.factories import enrol
from civgrid.cases.errors import NotAllowed
from civgrid.notices.models import Notice
from civgrid.visits.models import Visit

pytestmark = pytest.mark.django_db
OUT = CheckVisit.Outcome
S = Beneficiary.Status
MID_MARCH = dt.datetime(2026, 3, 20, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def aged(rolls):
    with time_machine.travel(MID_MARCH, tick=False):
        rolls.grandma = enrol(
            rolls,
            programme=rolls.elderly,
            name="周桂花",
            birth=dt.date(1938, 5, 6),
            starts_on=dt.date(2025, 12, 1),
        )
        rolls.grandpa_b = enrol(
            rolls,
            programme=rolls.elderly,
            household=rolls.home_b,
            name="吴老汉",
            birth=dt.date(1940, 1, 1),
            starts_on=dt.date(2025, 12, 1),
        )
        rolls.dibao_a = enrol(rolls, name="低保户")  # 低保 has no check visits
    return rolls


def due_names(user, today=dt.date(2026, 3, 20)):
    return [d.person for d in checks.due(checks.checkable(user), today)]


def test_the_visit_plan_is_the_roll_each_worker_sees_their_grids_checks(aged):
    assert due_names(aged.worker_a.user) == ["周桂花"]
    assert due_names(aged.worker_b.user) == ["吴老汉"]
    assert set(due_names(aged.office.user)) == {"周桂花", "吴老汉"}
    assert due_names(aged.office2.user) == [] and due_names(aged.worker2.user) == []
    for persona in ("mz", "community", "leader", "inspector"):
        assert due_names(getattr(aged, persona).user) == []


def test_a_due_check_tells_the_worker_whom_to_see_and_nothing_about_money(aged):
    (item,) = checks.due(checks.checkable(aged.worker_a.user), dt.date(2026, 3, 20))
    fields = set(vars(item))
    assert fields == {
        "beneficiary_id",
        "household_id",
        "household_code",
        "address",
        "grid_id",
        "person",
        "programme",
        "period",
    }
    assert item.period.label == "2026 Q1"


@time_machine.travel(MID_MARCH, tick=False)
def test_seen_at_home_clears_the_check_for_the_period_and_away_does_not(aged):
    checks.record_check(
        actor=aged.worker_b.user, beneficiary=aged.grandpa_b, outcome=OUT.AWAY, conditions="住院中"
    )
    checks.record_check(
        actor=aged.worker_a.user,
        beneficiary=aged.grandma,
        outcome=OUT.PRESENT,
        conditions="身体尚可，独居，有女儿照顾",
    )
    assert due_names(aged.worker_a.user) == []
    assert due_names(aged.worker_b.user) == ["吴老汉"]
    # The next quarter she is due again.
    assert due_names(aged.worker_a.user, dt.date(2026, 4, 1)) == ["周桂花"]
    assert aged.grandma.events.filter(kind="checked").count() == 1


@time_machine.travel(MID_MARCH, tick=False)
def test_a_death_reported_on_a_visit_proposes_and_only_approval_ends_the_benefit(aged):
    check, created = checks.record_check(
        actor=aged.worker_a.user,
        beneficiary=aged.grandma,
        outcome=OUT.DIED,
        conditions="家属告知3月12日去世",
        happened_on=dt.date(2026, 3, 12),
    )
    b = Beneficiary.objects.get(pk=aged.grandma.pk)
    assert created and b.status == S.END_PROPOSED and b.ends_on == dt.date(2026, 3, 12)
    assert b.end_reason == "died"
    assert Notice.objects.filter(event="assist_to_decide", user=aged.mz.user).exists()
    # Not yet an end: a run drafted now still pays her.
    run = runs.draft_run(aged.elderly, dt.date(2026, 3, 1), actor=aged.mz.user)
    assert run.lines.filter(beneficiary=b, kind=PaymentLine.Kind.REGULAR).exists()
    b = actions.approve_end(b, actor=aged.mz.user)
    assert b.status == S.ENDED
    assert list(b.events.values_list("kind", flat=True)) == [
        "proposed",
        "approved",
        "checked",
        "end_proposed",
        "ended",
    ]
    # Paid for March (the month she died), not for April.
    runs.payment_file(
        runs.approve_run(
            runs.draft_run(aged.elderly, dt.date(2026, 3, 1), actor=aged.mz.user),
            actor=aged.mz.user,
        ),
        actor=aged.mz.user,
    )
    april = runs.draft_run(aged.elderly, dt.date(2026, 4, 1), actor=aged.mz.user)
    assert not april.lines.filter(beneficiary=b).exists()


@time_machine.travel(MID_MARCH, tick=False)
def test_a_phone_resending_a_check_records_it_once(aged):
    first, created = checks.record_check(
        actor=aged.worker_a.user,
        beneficiary=aged.grandma,
        outcome=OUT.MOVED_OUT,
        client_key="phone-1:check-7",
    )
    again, created_again = checks.record_check(
        actor=aged.worker_a.user,
        beneficiary=aged.grandma,
        outcome=OUT.MOVED_OUT,
        client_key="phone-1:check-7",
    )
    assert created and not created_again and again.pk == first.pk
    assert CheckVisit.objects.count() == 1 and Visit.objects.count() == 1
    assert aged.grandma.events.filter(kind="end_proposed").count() == 1


@time_machine.travel(MID_MARCH, tick=False)
def test_only_the_households_grid_worker_or_the_office_records_a_check(aged):
    for persona in ("worker_b", "worker2", "mz", "community", "office2"):
        with pytest.raises(NotAllowed):
            checks.record_check(
                actor=getattr(aged, persona).user, beneficiary=aged.grandma, outcome=OUT.PRESENT
            )
    assert not CheckVisit.objects.exists() and not Visit.objects.exists()
    with pytest.raises(NotAllowed):  # 低保 asks for no check visits
        checks.record_check(actor=aged.worker_a.user, beneficiary=aged.dibao_a, outcome=OUT.PRESENT)


def test_who_was_not_seen_last_period_is_listed_before_the_payment_run(aged):
    with time_machine.travel(MID_MARCH, tick=False):
        checks.record_check(actor=aged.worker_a.user, beneficiary=aged.grandma, outcome=OUT.PRESENT)
        runs.payment_file(
            runs.approve_run(
                runs.draft_run(aged.elderly, dt.date(2026, 3, 1), actor=aged.mz.user),
                actor=aged.mz.user,
            ),
            actor=aged.mz.user,
        )
    with time_machine.travel(dt.datetime(2026, 4, 2, 2, 0, tzinfo=dt.UTC), tick=False):
        april = runs.draft_run(aged.elderly, dt.date(2026, 4, 1), actor=aged.mz.user)
        assert [b.name for b in checks.not_seen(april)] == ["吴老汉"]


def test_grid_workers_are_reminded_once_per_period_and_again_near_its_end(aged):
    slot = dt.datetime(2026, 3, 2, 0, 10, tzinfo=dt.UTC)  # 08:10 in Beijing
    with time_machine.travel(slot, tick=False):
        assert "2 reminder(s)" in schedule.checks_due(slot)
        assert "0 reminder(s)" in schedule.checks_due(slot)
        notice = Notice.objects.get(event="assist_check_due", user=aged.worker_a.user)
        assert notice.data == {"count": 1, "period": "2026 Q1"}
    late = dt.datetime(2026, 3, 20, 0, 10, tzinfo=dt.UTC)
    with time_machine.travel(late, tick=False):
        assert "2 reminder(s)" in schedule.checks_due(late)
