"""Acting on cases through the API: every workflow action, its errors, and optimistic locking."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from civgrid.cases.actions import ACTIONS
from civgrid.cases.models import Case, CaseEvent
from civgrid.cases.tests.api_support import NEW_CASE, act, api_as, detail
from civgrid.cases.workflow import TRANSITIONS
from civgrid.testing import build_world, drive, photo_upload, report


def snapshot(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, fresh.version, fresh.due_at, fresh.unit_id, fresh.events.count()


def test_a_case_walks_its_whole_path_through_the_api(world):
    office, inspector = api_as(world.office), api_as(world.inspector)
    clerk, resident = api_as(world.clerk), api_as(world.resident)
    created = resident.post(
        "/api/v1/cases/",
        {**NEW_CASE, "source": "resident"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="walk",
    )
    assert created.status_code == 201
    case_id, version = created.json()["id"], created.json()["version"]
    due_on = (timezone.localdate() + dt.timedelta(days=10)).isoformat()

    steps = [
        (office, "register", {"note": "属实", "urgency": "urgent"}, "registered"),
        (office, "assign", {"unit": world.unit.pk, "due_on": due_on}, "assigned"),
        (clerk, "accept", {}, "in_progress"),
        (clerk, "request_extension", {"days": 3, "reason": "需协调城管执法"}, "in_progress"),
        (office, "decide_extension", {"grant": True, "days": 2}, "in_progress"),
        (clerk, "submit", {"note": "已清理", "photos": [photo_upload()]}, "submitted"),
        (inspector, "verify_fail", {"reason": "仍有摊位"}, "rework"),
        (clerk, "submit", {"note": "已彻底清理", "photos": [photo_upload()]}, "submitted"),
        (inspector, "verify_pass", {"note": "整改到位"}, "closed"),
        (office, "reply", {"text": "您反映的问题已整改完毕"}, "closed"),
        (resident, "rate", {"score": 5, "note": "满意"}, "closed"),
    ]
    for client, name, params, status in steps:
        multipart = "photos" in params
        response = act(client, case_id, name, multipart=multipart, version=version, **params)
        assert response.status_code == 200, (name, response.content)
        body = response.json()
        assert body["status"] == status, name
        assert body["version"] == version + 1, name
        version = body["version"]

    body = detail(office, case_id).json()
    assert [e["action"] for e in body["events"]] == ["report"] + [s[1] for s in steps]
    assert [(e["from_status"], e["to_status"]) for e in body["events"][1:3]] == [
        ("reported", "registered"),
        ("registered", "assigned"),
    ]
    extension = body["events"][5]
    assert extension["data"]["granted"] is True and extension["data"]["days_granted"] == 2
    assert extension["actor_name"] == "创建办张主任"
    assert extension["actor_role"] == "office"
    assert body["due_on"] > due_on  # moved by the extension
    assert body["satisfaction"] == 5
    assert body["rework_count"] == 1
    assert [p["kind"] for p in body["photos"]] == ["evidence", "evidence"]
    assert body["available_actions"] == ["comment"]


def test_reject_mark_duplicate_return_urge_comment_and_fix_on_spot(world):
    office = api_as(world.office)
    original = report(world)
    duplicate = report(world)
    by_code = act(office, duplicate, "mark_duplicate", version=1, original=original.tracking_code)
    assert by_code.status_code == 200, by_code.content
    assert by_code.json()["duplicate_of"] == {
        "id": original.pk,
        "tracking_code": original.tracking_code,
    }

    rejected = act(office, report(world), "reject", version=1, reason="不属于创建范围")
    assert rejected.json()["status"] == "rejected"

    fixed = act(
        api_as(world.worker_a),
        report(world),
        "fix_on_spot",
        multipart=True,
        version=1,
        note="已现场劝离",
        photos=[photo_upload()],
    )
    assert fixed.json()["status"] == "closed"

    case = drive(report(world), world, "register", "assign")
    urged = act(api_as(world.leader), case, "urge", version=case.version, note="请加快整改")
    commented = act(office, case, "comment", version=urged.json()["version"], note="已电话督促")
    returned = act(
        api_as(world.clerk),
        case,
        "return_case",
        version=commented.json()["version"],
        reason="不属于本单位职责",
    )
    assert returned.status_code == 200
    reassigned = act(
        office, case, "assign", version=returned.json()["version"], unit=world.other_unit.code
    )
    assert reassigned.json()["unit"]["id"] == world.other_unit.pk
    assert [e["action"] for e in detail(office, case).json()["events"]][-4:] == [
        "urge",
        "comment",
        "return_case",
        "assign",
    ]


def test_every_workflow_action_has_an_endpoint(world):
    case = report(world)
    for name in ACTIONS:
        response = act(api_as(world.office), case, name)
        assert response.status_code == 400, name  # reached, and asks for the version
        assert response.json()["field"] == "version"


def test_an_illegal_transition_is_a_409_and_changes_nothing(world):
    case = report(world)
    before = snapshot(case)
    response = act(api_as(world.inspector), case, "verify_pass", version=case.version)
    assert response.status_code == 409
    assert response.json()["error"] == "illegal_transition"
    assert snapshot(case) == before


def test_a_second_client_acting_on_the_version_it_read_is_refused_as_stale(world):
    case = report(world)
    office, inspector = api_as(world.office), api_as(world.inspector)
    seen_by_office = detail(office, case).json()["version"]
    seen_by_inspector = detail(inspector, case).json()["version"]
    assert seen_by_office == seen_by_inspector

    first = act(office, case, "register", version=seen_by_office)
    assert first.status_code == 200
    after_first = snapshot(case)

    second = act(inspector, case, "reject", version=seen_by_inspector, reason="不属实")
    assert second.status_code == 409
    assert second.json()["error"] == "stale"
    assert "Reload" in second.json()["message"]
    assert snapshot(case) == after_first
    assert after_first[1] == seen_by_office + 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent connections: runs in the PostgreSQL pass",
)
def test_two_clients_posting_at_the_same_moment_let_exactly_one_through():
    world = build_world()
    case = report(world)
    clients = [api_as(world.office), api_as(world.inspector)]
    barrier = threading.Barrier(2)
    statuses: list[int] = []
    errors: list[str] = []

    def post(client, name, params):
        try:
            barrier.wait()
            response = act(client, case, name, version=1, **params)
            statuses.append(response.status_code)
            if response.status_code != 200:
                errors.append(response.json()["error"])
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=post, args=(clients[0], "register", {})),
        threading.Thread(target=post, args=(clients[1], "reject", {"reason": "不属实"})),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(statuses) == [200, 409]
    assert errors == ["stale"]
    case.refresh_from_db()
    assert case.version == 2
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_a_role_that_may_not_act_gets_403_and_nothing_changes(world):
    case = report(world)
    before = snapshot(case)
    response = act(api_as(world.worker_a), case, "register", version=case.version)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert snapshot(case) == before


def test_an_unknown_action_is_a_404(world):
    case = report(world)
    response = act(api_as(world.office), case, "teleport", version=1)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert "teleport" in response.json()["message"]


def test_acting_on_a_case_that_does_not_exist_is_a_404(world):
    assert act(api_as(world.office), 999999, "register", version=1).status_code == 404


@pytest.mark.parametrize(
    ("name", "params", "field", "words"),
    [
        ("assign", {"unit": "CGJ", "due_on": "next friday"}, "due_on", "YYYY-MM-DD"),
        ("assign", {"unit": "CGJ", "due_on": "2020-01-01"}, "due_on", "past"),
        ("assign", {"unit": "NOPE"}, "unit", "No such unit"),
        ("assign", {}, "unit", "required"),
        ("register", {"urgency": "whenever"}, "urgency", "not a valid choice"),
        ("register", {"category_code": "NOPE"}, "category_code", "No such category"),
        ("register", {"grid": "411602001-01"}, "grid", "not a larger region"),
        ("reject", {"reason": ""}, "reason", "blank"),
        ("mark_duplicate", {"original": "250101-NOSUCH"}, "original", "No such original case"),
        ("comment", {"version": "seven", "note": "x"}, "version", "whole number"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_field_and_change_nothing(
    world, name, params, field, words
):
    case = drive(report(world), world, "register") if name == "assign" else report(world)
    before = snapshot(case)
    response = act(api_as(world.office), case, name, **{"version": case.version, **params})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["error"] == "invalid"
    assert body["field"] == field
    assert words in body["message"]
    assert snapshot(case) == before


def test_a_non_integer_number_of_days_is_a_400(world):
    case = drive(report(world), world, "register", "assign", "accept")
    before = snapshot(case)
    response = act(
        api_as(world.clerk),
        case,
        "request_extension",
        version=case.version,
        days="a few",
        reason="需协调",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "days"
    assert response.json()["message"] == "The number of days must be a whole number."
    too_many = act(
        api_as(world.clerk),
        case,
        "request_extension",
        version=case.version,
        days=99,
        reason="需协调",
    )
    assert too_many.status_code == 400
    assert too_many.json()["field"] == "days"
    assert snapshot(case) == before


def test_a_decision_without_grant_is_not_taken_as_a_refusal(world):
    case = drive(report(world), world, "register", "assign", "accept")
    v = act(
        api_as(world.clerk),
        case,
        "request_extension",
        version=case.version,
        days=2,
        reason="需协调",
    ).json()["version"]
    response = act(
        api_as(world.office), case, "decide_extension", multipart=True, version=v, note=""
    )
    assert response.status_code == 400
    assert response.json()["field"] == "grant"


def test_a_duplicate_of_a_case_outside_your_scope_is_refused(world):
    hidden = report(world, by=world.worker_b, longitude=114.615)
    mine = report(world)
    response = act(
        api_as(world.worker_a), mine, "mark_duplicate", version=1, original=hidden.tracking_code
    )
    assert response.status_code == 400
    assert response.json()["field"] == "original"


def test_a_photo_that_is_not_an_image_refuses_the_submission(world):
    case = drive(report(world), world, "register", "assign", "accept")
    before = snapshot(case)
    response = act(
        api_as(world.clerk),
        case,
        "submit",
        multipart=True,
        version=case.version,
        note="已清理",
        photos=[photo_upload("fix.png", b"GIF89a nonsense")],
    )
    assert response.status_code == 400
    assert response.json()["field"] == "photos"
    assert snapshot(case) == before


def test_validation_messages_follow_accept_language(world):
    case = report(world)
    chinese = act(api_as(world.office, language="zh-hans"), case, "register")
    english = act(api_as(world.office, language="en"), case, "register")
    assert english.json()["message"] == "This field is required."
    assert chinese.json()["message"] == "该字段是必填项。"
    assert chinese.json()["field"] == english.json()["field"] == "version"


def test_the_available_actions_match_what_the_reader_may_do(world):
    case = report(world)
    offered = detail(api_as(world.office), case).json()["available_actions"]
    assert "register" in offered and "accept" not in offered
    assert set(offered) <= set(TRANSITIONS)
    assert (
        detail(api_as(world.resident), report(world, by=world.resident)).json()["available_actions"]
        == []
    )
