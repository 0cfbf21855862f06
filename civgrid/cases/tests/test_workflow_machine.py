"""A stateful property test: no sequence of actions, by anyone, reaches an invalid state or
loses an event."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from civgrid.cases import actions
from civgrid.cases.actions import CaseActionError
from civgrid.cases.models import Case
from civgrid.cases.workflow import CLOSED_STATES, TRANSITIONS, Status
from civgrid.testing import build_world, photo_upload, report

PERSONAS = [
    "office",
    "inspector",
    "leader",
    "clerk",
    "other_clerk",
    "worker_a",
    "worker_b",
    "resident",
]
UNIT_STATES = {Status.ASSIGNED, Status.IN_PROGRESS, Status.REWORK, Status.SUBMITTED}
# "auto" is the persona whose job the action is; drawing it often lets runs get deep into the
# workflow while the other personas keep probing the refusals.
RIGHT_PERSONA = {
    "register": "office",
    # One district in this world: the office is refused, as a district office is (一市多区).
    "send_down": "office",
    "reject": "inspector",
    "mark_duplicate": "office",
    "fix_on_spot": "worker_a",
    "assign": "office",
    "accept": "clerk",
    "return_case": "clerk",
    "request_extension": "clerk",
    "decide_extension": "office",
    "submit": "clerk",
    "verify_pass": "inspector",
    "verify_fail": "inspector",
    "reply": "office",
    "rate": "resident",
    "urge": "leader",
    "comment": "worker_a",
}
FORWARD = {
    "register",
    "assign",
    "accept",
    "submit",
    "verify_pass",
    "verify_fail",
    "return_case",
    "request_extension",
    "decide_extension",
}
WHO = st.sampled_from(PERSONAS + ["auto"] * 12)
STALE = st.sampled_from([False] * 5 + [True])


REACHED: set[str] = set()


class WorkflowMachine(RuleBasedStateMachine):
    world = None  # set by the test, built once: personas are the same for every run

    def __init__(self) -> None:
        super().__init__()
        w = self.world
        self.case = report(w, by=w.resident, longitude=114.605, latitude=33.605)
        self.other = report(w)
        self.successes = 1  # the report itself

    def act(self, name: str, who: str, stale: bool, **params) -> None:
        case = Case.objects.get(pk=self.case.pk)
        if who == "auto":
            who = RIGHT_PERSONA[name]
            if who == "clerk" and case.unit_id == self.world.other_unit.pk:
                who = "other_clerk"
        actor = getattr(self.world, who).user
        before = (case.status, case.version, case.events.count(), case.photos.count())
        version = case.version - 1 if stale else case.version
        try:
            actions.ACTIONS[name](case, actor=actor, expected_version=version, **params)
        except CaseActionError as exc:
            assert exc.message

            case.refresh_from_db()
            after = (case.status, case.version, case.events.count(), case.photos.count())
            assert after == before, f"refused {name} changed the case"
        else:
            assert not stale, "an action on a stale version went through"
            self.successes += 1
            REACHED.add(Case.objects.get(pk=self.case.pk).status)

    def params(self, name: str, valid: bool, data) -> dict:
        """Valid parameters for the action, or (when not `valid`) a drawn bad variant."""
        w = self.world
        today = timezone.localdate()
        good = {
            "register": {},
            "send_down": {"district": w.district},
            "accept": {},
            "verify_pass": {},
            "reject": {"reason": "不属于创建范围"},
            "return_case": {"reason": "不属于本单位"},
            "verify_fail": {"reason": "仍有问题"},
            "assign": {
                "unit": data.draw(st.sampled_from([w.unit, w.other_unit])),
                "due_on": data.draw(st.sampled_from([None, today + dt.timedelta(days=9)])),
            },
            "submit": {"note": "已整改", "photos": [photo_upload()]},
            "fix_on_spot": {"note": "已现场处理"},
            "urge": {"note": "请加快"},
            "comment": {"note": "已电话联系"},
            "request_extension": {"days": data.draw(st.integers(1, 30)), "reason": "需协调"},
            "decide_extension": {"grant": data.draw(st.booleans()), "note": "意见"},
            "mark_duplicate": {"original": self.other},
            "reply": {"text": "已答复"},
            "rate": {"score": data.draw(st.integers(1, 5))},
        }[name]
        if valid:
            return good
        bad = {
            "reject": {"reason": data.draw(st.sampled_from(["", "  ", "x" * 2001]))},
            "return_case": {"reason": ""},
            "verify_fail": {"reason": " "},
            "assign": {"unit": w.unit, "due_on": today - dt.timedelta(days=1)},
            "submit": {"note": "", "photos": [photo_upload(data=b"not an image")]},
            "fix_on_spot": {"note": ""},
            "urge": {"note": ""},
            "comment": {"note": "x" * 2001},
            "request_extension": {"days": data.draw(st.sampled_from([0, -1, 31])), "reason": "x"},
            "decide_extension": {"grant": False, "note": ""},
            "mark_duplicate": {"original": self.case},
            "reply": {"text": ""},
            "rate": {"score": data.draw(st.sampled_from([0, 6]))},
        }
        return bad.get(name, good)

    @rule(data=st.data())
    def step(self, data):
        status = Case.objects.get(pk=self.case.pk).status
        legal = sorted(n for n, t in TRANSITIONS.items() if status in t.sources)
        forward = [n for n in legal if n in FORWARD] or legal
        # Mostly a step along the main road (to get deep into the workflow), else anything the
        # state allows, else anything at all (to probe the refusals).
        name = data.draw(
            st.one_of(
                st.sampled_from(forward),
                st.sampled_from(forward),
                st.sampled_from(forward),
                st.sampled_from(legal),
                st.sampled_from(sorted(TRANSITIONS)),
            ),
            label="action",
        )
        who = data.draw(WHO, label="who")
        stale = data.draw(STALE, label="stale")
        valid = data.draw(st.sampled_from([True] * 4 + [False]), label="valid")
        self.act(name, who, stale, **self.params(name, valid, data))

    @invariant()
    def the_case_is_consistent_and_no_event_is_lost(self):
        case = Case.objects.get(pk=self.case.pk)
        events = list(case.events.order_by("created_at", "id"))
        assert case.status in Status.values
        assert len(events) == self.successes
        assert case.version == self.successes
        for previous, event in zip(events, events[1:], strict=False):
            assert event.from_status == previous.to_status, "a state change without its event"
        assert events[-1].to_status == case.status
        assert (case.closed_at is not None) == (case.status in CLOSED_STATES)
        if case.status in UNIT_STATES:
            assert case.unit_id is not None and case.due_at is not None
        if case.status == Status.RETURNED:
            assert case.unit_id is None
        if case.satisfaction is not None:
            assert case.replied_at is not None
        if case.status == Status.DUPLICATE:
            assert case.duplicate_of_id == self.other.pk


class WorkflowStateMachineTest(TestCase):
    def test_no_sequence_of_actions_breaks_the_ledger(self):
        WorkflowMachine.world = build_world()
        run_state_machine_as_test(
            WorkflowMachine,
            settings=settings(
                max_examples=100,
                stateful_step_count=20,
                deadline=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            ),
        )
        # The runs must have explored the workflow, not only bounced off its refusals.
        missing = set(Status.values) - {Status.REPORTED.value} - REACHED
        assert not missing, missing
