"""Every legal and every illegal transition of the case workflow, through the actions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from civgrid.cases import actions, reporting
from civgrid.cases.actions import IllegalTransition, InvalidInput, NotAllowed, StaleCase
from civgrid.cases.deadlines import due_day
from civgrid.cases.models import Case, CaseEvent, ImmutableError
from civgrid.cases.workflow import CLOSED_STATES, OPEN_STATES, TRANSITIONS, Status
from civgrid.org.models import Role
from civgrid.territory.models import Region
from civgrid.testing import ACTOR_FOR_ROLE, drive, make_region, make_site, photo_upload, report


def params_for(name: str, world, case: Case) -> dict:
    """Valid parameters for each action (beyond actor and version)."""
    other = report(world, description="同一位置的另一条反映")
    if name == "send_down":
        # Sending down needs an office above several districts: a second one beside the world's.
        make_region(code="411603", name="淮阳区", level=Region.Level.DISTRICT)
    return {
        "register": {"note": "属实"},
        "send_down": {"district": world.district, "note": "请川汇区办理"},
        "reject": {"reason": "不属于创建范围"},
        "mark_duplicate": {"original": other},
        "fix_on_spot": {"note": "已现场劝离", "photos": [photo_upload()]},
        "assign": {"unit": world.unit},
        "accept": {},
        "return_case": {"reason": "不属于本单位职责"},
        "request_extension": {"days": 3, "reason": "需协调施工队"},
        "decide_extension": {"grant": True},
        "submit": {"note": "已清理", "photos": [photo_upload()]},
        "verify_pass": {"note": "复查合格"},
        "verify_fail": {"reason": "仍有摊位"},
        "reply": {"text": "已整改，感谢反映"},
        "rate": {"score": 5},
        "urge": {"note": "请加快进度"},
        "comment": {"note": "已电话联系"},
    }[name]


def put_in_state(case: Case, world, status: str, **extra) -> Case:
    """Force a case into a state for a table-driven test (tests only: bypasses actions)."""
    fields = {"status": status}
    if status in (Status.ASSIGNED, Status.IN_PROGRESS, Status.REWORK, Status.SUBMITTED):
        fields.update(unit=world.unit, due_at=timezone.now() + dt.timedelta(days=7))
    if status in CLOSED_STATES:
        fields.update(closed_at=timezone.now())
    fields.update(extra)
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def prerequisites(name: str, case: Case, world) -> dict:
    """Row facts (not states) some actions need: a pending request, a reply."""
    if name == "decide_extension":
        return {"extension_days_requested": 3, "extension_reason": "需协调"}
    if name == "rate":
        return {"replied_at": timezone.now(), "reply": "已处理"}
    return {}


LEGAL = [(name, s) for name, t in TRANSITIONS.items() for s in sorted(t.sources)]
ILLEGAL = [(name, s) for name, t in TRANSITIONS.items() for s in Status if s not in t.sources]


@pytest.mark.parametrize(("name", "status"), LEGAL)
def test_every_legal_transition_moves_the_case_and_writes_one_event(world, name, status):
    t = TRANSITIONS[name]
    case = report(world)
    actor_role = sorted(t.roles)[0]
    if name == "rate":
        actor_role = Role.RESIDENT
        case = report(world, by=world.resident)
    case = put_in_state(case, world, status, **prerequisites(name, case, world))
    actor = getattr(world, ACTOR_FOR_ROLE[actor_role]).user
    events_before = case.events.count()

    result = actions.ACTIONS[name](
        case, actor=actor, expected_version=case.version, **params_for(name, world, case)
    )

    result.refresh_from_db()
    assert result.status == (t.target or status)
    assert result.version == case.version + 1
    assert result.events.count() == events_before + 1
    event = result.events.last()
    assert event.action == name
    assert event.actor == actor
    assert (event.from_status, event.to_status) == (status, result.status)


@pytest.mark.parametrize(("name", "status"), ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(world, name, status):
    t = TRANSITIONS[name]
    # The unit is set so that a unit clerk can see the case whatever its state.
    case = put_in_state(report(world), world, status, unit=world.unit)
    actor = getattr(world, ACTOR_FOR_ROLE[sorted(t.roles)[0]]).user
    if sorted(t.roles)[0] == Role.RESIDENT:
        actor = world.office.user
    params = params_for(name, world, case)
    before = (case.status, case.version, case.events.count())

    with pytest.raises(IllegalTransition) as err:
        actions.ACTIONS[name](case, actor=actor, expected_version=case.version, **params)

    assert err.value.message
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == before


ROLE_REFUSALS = [
    (name, role) for name, t in TRANSITIONS.items() for role in Role if role not in t.roles
]


@pytest.mark.parametrize(("name", "role"), ROLE_REFUSALS)
def test_a_role_outside_the_transition_is_refused(world, name, role):
    t = TRANSITIONS[name]
    status = sorted(t.sources)[0]
    case = report(world, by=world.resident) if role == Role.RESIDENT else report(world)
    case = put_in_state(case, world, status, **prerequisites(name, case, world))
    if role == Role.UNIT_CLERK:
        Case.objects.filter(pk=case.pk).update(unit=world.unit)
        case.refresh_from_db()
    actor = getattr(world, ACTOR_FOR_ROLE[role]).user
    with pytest.raises(NotAllowed):
        actions.ACTIONS[name](
            case, actor=actor, expected_version=case.version, **params_for(name, world, case)
        )
    assert case.events.count() == Case.objects.get(pk=case.pk).events.count()


def test_the_table_has_no_unreachable_state_and_closed_states_are_final(world):
    reachable = {Status.REPORTED} | {t.target for t in TRANSITIONS.values() if t.target}
    assert reachable == set(Status)
    for t in TRANSITIONS.values():
        if t.target is not None and t.sources & CLOSED_STATES:
            pytest.fail(f"{t.name} leaves a closed state")
    assert set(Status) == OPEN_STATES | CLOSED_STATES


def test_a_grid_worker_cannot_act_on_another_grids_case(world):
    case = report(world)
    with pytest.raises(NotAllowed):
        actions.fix_on_spot(
            case, actor=world.worker_b.user, expected_version=case.version, note="已处理"
        )
    case.refresh_from_db()
    assert case.status == Status.REPORTED


def test_another_unit_cannot_accept_a_case_assigned_elsewhere(world):
    case = drive(report(world), world, "register", "assign")
    with pytest.raises(NotAllowed):
        actions.accept(case, actor=world.other_clerk.user, expected_version=case.version)


def test_acting_on_an_old_version_is_refused_and_changes_nothing(world):
    case = drive(report(world), world, "register")
    seen = case.version
    actions.assign(case, actor=world.office.user, expected_version=seen, unit=world.unit)
    with pytest.raises(StaleCase) as err:
        actions.reject(case, actor=world.inspector.user, expected_version=seen, reason="重复")
    assert "version" in err.value.message or "版本" in err.value.message
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert [e.action for e in case.events.all()] == ["report", "register", "assign"]


def test_a_rejected_action_writes_no_photo(world):
    case = drive(report(world), world, "register", "assign")
    with pytest.raises(InvalidInput):
        actions.submit(
            case,
            actor=world.clerk.user,
            expected_version=case.version,
            note="",
            photos=[photo_upload()],
        )
    assert case.photos.count() == 0


def test_a_return_clears_the_unit_and_the_office_reassigns(world):
    case = drive(report(world), world, "register", "assign", "accept")
    actions.return_case(
        case, actor=world.clerk.user, expected_version=case.version, reason="属市场监管职责"
    )
    case.refresh_from_db()
    assert (case.status, case.unit, case.due_at) == (Status.RETURNED, None, None)
    actions.assign(
        case, actor=world.office.user, expected_version=case.version, unit=world.other_unit
    )
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED and case.unit == world.other_unit
    assign_events = case.events.filter(action="assign")
    assert assign_events.last().data["unit"][1]["name"] == world.other_unit.name


def test_rework_counts_and_keeps_the_deadline(world):
    case = drive(report(world), world, "register", "assign", "accept", "submit")
    due = case.due_at
    case = drive(case, world, "verify_fail")
    assert case.status == Status.REWORK and case.rework_count == 1 and case.due_at == due
    case = drive(case, world, "submit", "verify_pass")
    assert case.status == Status.CLOSED and case.closed_at is not None


def test_an_extension_grant_moves_the_deadline_by_working_days(world):
    with time_machine.travel(dt.datetime(2026, 2, 9, 10, tzinfo=dt.UTC), tick=False):
        case = drive(report(world), world, "register", "assign")
        # Mon 9 Feb + 5 working days: 10-13 Feb and Sat 14 Feb, a make-up workday (调休).
        assert due_day(case.due_at) == dt.date(2026, 2, 14)
        actions.request_extension(
            case,
            actor=world.clerk.user,
            expected_version=case.version,
            days=2,
            reason="春节前施工队放假",
        )
        case.refresh_from_db()
        with pytest.raises(IllegalTransition):
            actions.request_extension(
                case, actor=world.clerk.user, expected_version=case.version, days=2, reason="再次"
            )
        actions.decide_extension(
            case, actor=world.office.user, expected_version=case.version, grant=True
        )
        case.refresh_from_db()
    # 14 Feb + 2 working days: the Spring Festival holiday runs 15-23 Feb, so 24 and 25 Feb.
    assert due_day(case.due_at) == dt.date(2026, 2, 25)
    assert not case.has_pending_extension
    event = case.events.get(action="decide_extension")
    assert event.data["granted"] is True and event.data["days_granted"] == 2


def test_a_refused_extension_needs_a_reason_and_keeps_the_deadline(world):
    case = drive(report(world), world, "register", "assign")
    actions.request_extension(
        case, actor=world.clerk.user, expected_version=case.version, days=5, reason="材料未到"
    )
    case.refresh_from_db()
    due = case.due_at
    with pytest.raises(InvalidInput):
        actions.decide_extension(
            case, actor=world.office.user, expected_version=case.version, grant=False
        )
    actions.decide_extension(
        case, actor=world.office.user, expected_version=case.version, grant=False, note="可先行整改"
    )
    case.refresh_from_db()
    assert case.due_at == due and not case.has_pending_extension


def test_duplicates_point_to_the_root_case(world):
    first = report(world)
    second = report(world)
    third = report(world)
    actions.mark_duplicate(
        second, actor=world.office.user, expected_version=second.version, original=first
    )
    second.refresh_from_db()
    actions.mark_duplicate(
        third, actor=world.office.user, expected_version=third.version, original=second
    )
    third.refresh_from_db()
    assert third.duplicate_of == first
    with pytest.raises(InvalidInput):
        actions.mark_duplicate(
            first, actor=world.office.user, expected_version=first.version, original=third
        )


def test_fixed_on_the_spot_report_is_closed_in_one_step_with_two_events(world):
    case, created = reporting.report_case(
        actor=world.worker_a.user,
        source="patrol",
        category=world.category,
        description="路边垃圾",
        longitude=114.601,
        latitude=33.601,
        fixed_on_spot=True,
        fix_note="已清扫",
        fix_photos=[photo_upload()],
    )
    assert created and case.status == Status.CLOSED and case.fixed_on_spot
    assert [e.action for e in case.events.all()] == ["report", "fix_on_spot"]
    assert case.photos.filter(kind="evidence").count() == 1


def test_only_the_reporter_rates_and_only_once_after_a_reply(world):
    case = report(world, by=world.resident)
    case = drive(case, world, "register", "assign", "accept", "submit", "verify_pass")
    with pytest.raises(IllegalTransition):
        actions.rate(case, actor=world.resident.user, expected_version=case.version, score=4)
    case = drive(case, world, "reply")
    with pytest.raises(InvalidInput):
        actions.rate(case, actor=world.resident.user, expected_version=case.version, score=6)
    actions.rate(case, actor=world.resident.user, expected_version=case.version, score=4)
    case.refresh_from_db()
    assert case.satisfaction == 4
    with pytest.raises(IllegalTransition):
        actions.rate(case, actor=world.resident.user, expected_version=case.version, score=5)


def test_events_cannot_be_edited_or_deleted(world):
    event = report(world).events.get()
    event.note = "篡改"
    with pytest.raises(ImmutableError):
        event.save()
    with pytest.raises(ImmutableError):
        event.delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_idempotent_report_creates_one_case_per_user_and_key(world):
    kw = {
        "source": "patrol",
        "category": world.category,
        "description": "井盖缺失",
        "longitude": 114.605,
        "latitude": 33.605,
        "client_key": "phone-7f3a",
    }
    first, created1 = reporting.report_case(actor=world.worker_a.user, **kw)
    again, created2 = reporting.report_case(actor=world.worker_a.user, **kw)
    other, created3 = reporting.report_case(actor=world.worker_b.user, **kw)
    assert (created1, created2, created3) == (True, False, True)
    assert first.pk == again.pk != other.pk
    assert Case.objects.count() == 2


def test_a_report_outside_every_grid_is_refused_with_a_clear_message(world):
    with pytest.raises(InvalidInput) as err:
        reporting.report_case(
            actor=world.worker_a.user,
            source="patrol",
            category=world.category,
            description="某处问题",
            longitude=100.0,
            latitude=20.0,
        )
    assert err.value.field == "grid"
    assert Case.objects.count() == 0


def test_a_boolean_is_not_a_number_of_days_or_a_score(world):
    case = drive(report(world), world, "register", "assign")
    with pytest.raises(InvalidInput):
        actions.request_extension(
            case, actor=world.clerk.user, expected_version=case.version, days=True, reason="x"
        )
    actions.request_extension(
        case, actor=world.clerk.user, expected_version=case.version, days=3, reason="需协调"
    )
    case.refresh_from_db()
    with pytest.raises(InvalidInput):
        actions.decide_extension(
            case, actor=world.office.user, expected_version=case.version, grant=True, days="3"
        )
    case.refresh_from_db()
    assert case.has_pending_extension


def test_a_resident_cannot_file_a_report_as_an_inspection(world):
    with pytest.raises(InvalidInput) as err:
        reporting.report_case(
            actor=world.resident.user,
            source="inspection",
            category=world.category,
            description="门口垃圾",
            longitude=114.605,
            latitude=33.605,
        )
    assert err.value.field == "source"
    assert not Case.objects.exists()


def test_the_database_itself_refuses_to_rewrite_history(world):
    event = report(world).events.get()
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(note="篡改")
    assert CaseEvent.objects.get(pk=event.pk).note == ""
    if connection.vendor == "postgresql":  # SQLite keeps DELETE for the test flush
        with pytest.raises(DatabaseError), transaction.atomic():
            CaseEvent.objects.filter(pk=event.pk)._raw_delete(CaseEvent.objects.db)
        assert CaseEvent.objects.filter(pk=event.pk).exists()


def test_a_hand_set_deadline_must_be_within_a_year(world):
    case = drive(report(world), world, "register")
    too_far = timezone.localdate() + dt.timedelta(days=400)
    for due_on in (too_far, dt.date(9999, 12, 31)):
        with pytest.raises(InvalidInput) as err:
            actions.assign(
                case,
                actor=world.office.user,
                expected_version=case.version,
                unit=world.unit,
                due_on=due_on,
            )
        assert err.value.field == "due_on"
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.due_at is None


def test_a_long_idempotency_key_works_for_any_user_id(world):
    from django.contrib.auth.models import User

    from civgrid.org.models import Person

    user = User.objects.create_user("far-away-id", id=123456789)
    Person.objects.create(user=user, name="网格员丙", role=Role.GRID_WORKER).regions.set(
        [world.grid_a]
    )
    kw = {
        "source": "patrol",
        "category": world.category,
        "description": "井盖缺失",
        "longitude": 114.605,
        "latitude": 33.605,
        "client_key": "k" * 60,
    }
    first, created = reporting.report_case(actor=user, **kw)
    again, created_again = reporting.report_case(actor=user, **kw)
    assert created and not created_again and first.pk == again.pk
    assert len(first.client_key) == 64
    with pytest.raises(InvalidInput):
        reporting.report_case(actor=user, **{**kw, "client_key": "k" * 101})


def test_a_site_in_another_grid_than_the_one_chosen_is_refused(world):
    site_in_b = make_site(world.grid_b, name="富民菜市场")
    with pytest.raises(InvalidInput) as err:
        report(world, grid=world.grid_a, site=site_in_b)
    assert err.value.field == "site"
    case = report(world, site=site_in_b, longitude=None, latitude=None)
    assert case.grid == world.grid_b


def test_a_bad_fix_photo_is_blamed_on_the_fix_photos(world):
    with pytest.raises(InvalidInput) as err:
        report(world, fixed_on_spot=True, fix_note="已清理", fix_photos=[photo_upload(data=b"x")])
    assert err.value.field == "fix_photos"
    assert not Case.objects.exists()
