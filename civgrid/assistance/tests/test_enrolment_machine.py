"""A stateful property test of enrolments: no sequence of actions, by anyone, reaches an
invalid state, skips 民政's approval or loses an event."""

from __future__ import annotations

import datetime as dt
import itertools

from django.test import TestCase
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from civgrid.assistance import actions
from civgrid.assistance.models import Beneficiary, BeneficiaryEvent, EndReason
from civgrid.assistance.tests.factories import build_rolls, id_number
from civgrid.cases.errors import CaseActionError
from civgrid.testing import build_city, build_world

S = Beneficiary.Status
K = BeneficiaryEvent.Kind
PERSONAS = ["community", "mz", "mz_b", "mz2", "office", "worker_a", "city_office"]
ACTIONS = [
    "approve",
    "reject",
    "propose_end",
    "approve_end",
    "reject_end",
    "change_account",
    "reveal_id",
]
# "auto" is the persona whose job the action is; drawing it often lets runs get deep into the
# workflow while the other personas keep probing the refusals.
RIGHT_PERSONA = {
    "approve": "mz",
    "reject": "mz",
    "propose_end": "community",
    "approve_end": "mz_b",
    "reject_end": "mz",
    "change_account": "mz",
    "reveal_id": "mz",
}
FORWARD = ["approve", "propose_end", "approve_end"]
REACHED: set[str] = set()
_serial = itertools.count(1)


class EnrolmentMachine(RuleBasedStateMachine):
    world = None

    def __init__(self) -> None:
        super().__init__()
        w = self.world
        self.b = actions.propose_enrolment(
            actor=w.community.user,
            programme=w.dibao,
            household=w.home_a,
            name="机器测试",
            id_number=id_number(dt.date(1960, 1, 1), serial=next(_serial)),
            applied_on=dt.date(2026, 1, 5),
        )
        self.events = 1
        REACHED.add(self.b.status)

    @rule(
        name=st.sampled_from(ACTIONS + FORWARD * 2),
        who=st.sampled_from(PERSONAS + ["auto"] * 6),
        day=st.integers(0, 90),
    )
    def step(self, name: str, who: str, day: int) -> None:
        user = getattr(self.world, RIGHT_PERSONA[name] if who == "auto" else who).user
        b = self.b
        calls = {
            "approve": lambda: actions.approve_enrolment(b, actor=user),
            "reject": lambda: actions.reject_enrolment(b, actor=user, reason="不符合"),
            "propose_end": lambda: actions.propose_end(
                b,
                actor=user,
                reason=EndReason.DIED,
                ends_on=dt.date(2026, 1, 15) + dt.timedelta(days=day),
            ),
            "approve_end": lambda: actions.approve_end(b, actor=user),
            "reject_end": lambda: actions.reject_end(b, actor=user, reason="健在"),
            "change_account": lambda: actions.change_bank_account(
                b, actor=user, bank_name="邮储", bank_account=f"62179912345{day:05d}"
            ),
            "reveal_id": lambda: actions.reveal(b, "id_number", actor=user),
        }
        before = BeneficiaryEvent.objects.filter(beneficiary=b).count()
        try:
            calls[name]()
        except CaseActionError:
            assert BeneficiaryEvent.objects.filter(beneficiary=b).count() == before
            return
        self.events = BeneficiaryEvent.objects.filter(beneficiary=b).count()
        assert self.events in (before, before + 1)  # an unchanged account writes nothing
        self.b.refresh_from_db()
        REACHED.add(self.b.status)

    @invariant()
    def the_enrolment_is_consistent_and_no_event_is_lost(self) -> None:
        b = Beneficiary.objects.get(pk=self.b.pk)
        kinds = list(b.events.values_list("kind", flat=True))
        assert len(kinds) == self.events and kinds[0] == K.PROPOSED
        assert b.status in S.values
        if b.status in (S.ACTIVE, S.END_PROPOSED, S.ENDED):
            assert b.approved_by_id is not None and b.approved_by_id != b.proposed_by_id
            assert K.APPROVED in kinds
        if b.status in (S.PROPOSED, S.ACTIVE, S.REJECTED):
            assert b.ends_on is None and b.end_reason == ""
        if b.status in (S.END_PROPOSED, S.ENDED):
            assert b.ends_on is not None and b.end_reason
        if b.status == S.ENDED:
            assert kinds[-1] == K.ENDED and K.END_PROPOSED in kinds
            ended_by = b.events.get(kind=K.ENDED).by
            assert ended_by in (self.world.mz.user, self.world.mz_b.user)


class EnrolmentStateMachineTest(TestCase):
    def test_no_sequence_of_actions_breaks_the_roll(self) -> None:
        EnrolmentMachine.world = build_rolls(build_city(build_world()))
        run_state_machine_as_test(
            EnrolmentMachine,
            settings=settings(
                max_examples=40,
                stateful_step_count=12,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            ),
        )
        assert set(S.values) == REACHED, set(S.values) - REACHED
