"""The case page and its action forms: scope, one form per available action, PRG, errors."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from civgrid.cases import actions
from civgrid.cases.actions import available_actions
from civgrid.cases.models import Case, CaseEvent
from civgrid.cases.workflow import TRANSITIONS, Status
from civgrid.testing import PASSWORD, drive, photo_upload, report


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def detail_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def act_url(case: Case, name: str) -> str:
    return reverse("cases:act", args=[case.pk, name])


def post_action(
    client,
    case: Case,
    name: str,
    data: dict[str, Any] | None = None,
    *,
    version: int | None = None,
    htmx: bool = False,
):
    case.refresh_from_db()
    payload = {"version": case.version if version is None else version, **(data or {})}
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(act_url(case, name), payload, headers=headers)


def forms_on(html: str, case: Case) -> set[str]:
    return set(re.findall(rf'<form method="post" action="/cases/{case.pk}/act/(\w+)/"', html))


def snapshot(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    return (
        case.status,
        case.version,
        case.unit_id,
        case.due_at,
        case.events.count(),
        case.photos.count(),
    )


# --- what the page shows ---------------------------------------------------------------------


def test_the_case_page_shows_the_fields_photos_map_and_timeline(client, world):
    case = report(
        world,
        photos=[photo_upload()],
        reporter_name="居民钱先生",
        reporter_phone="13912345678",
        address="国槐街与人民路交叉口",
    )
    case = drive(case, world, "register", "assign")
    html = login(client, world.office).get(detail_url(case)).content.decode()
    for text in (
        case.tracking_code,
        "占道经营",
        "国槐街网格",
        "第一片区",
        "城市管理局",
        "国槐街与人民路交叉口",
        "13912345678",
        "居民钱先生",
        "Grid patrol (网格巡查)",
    ):
        assert text in html, text
    photo = case.photos.get()
    assert f'href="/cases/{case.pk}/photos/{photo.pk}/"' in html
    assert f'data-config="case-map-{case.pk}"' in html
    assert '"point": [114.605, 33.605]' in html and '"grid": {"type": "Polygon"' in html
    # The timeline: who, with which role, when (Asia/Shanghai), what, and the status change.
    assert html.count('<li class="event ') == 3
    assert "创建办张主任 · Campaign office (创建办)" in html
    assert 'Registered (已立案)</span> → <span class="badge badge-work">Assigned (已交办)' in html
    local = timezone.localtime(case.events.last().created_at)
    assert local.strftime("%Y-%m-%d %H:%M") in html
    assert "— → 城市管理局" in html  # the assign event's data: the new unit


def test_the_page_has_a_form_for_exactly_the_actions_open_to_the_user(client, world):
    case = drive(report(world), world, "register", "assign")
    for person in (world.office, world.inspector, world.leader, world.clerk, world.worker_a):
        client.logout()
        html = login(client, person).get(detail_url(case)).content.decode()
        expected = set(available_actions(case, person.user))
        assert forms_on(html, case) == expected, person.name
    assert "accept" in available_actions(case, world.clerk.user)


def test_each_action_form_posts_the_version_it_was_drawn_from(client, world):
    case = report(world)
    html = login(client, world.office).get(detail_url(case)).content.decode()
    assert html.count(f'name="version" value="{case.version}"') == len(forms_on(html, case))


def test_the_assign_form_shows_the_default_deadline(client, world):
    case = drive(report(world), world, "register")
    html = login(client, world.office).get(detail_url(case)).content.decode()
    assert "Standard time limit: 5 working days, last day" in html
    assert f'<option value="{world.unit.pk}" selected>' in html  # the category's default unit


def test_a_reported_case_tells_the_time_limit_before_it_is_assigned(client, world):
    case = report(world)
    html = login(client, world.worker_a).get(detail_url(case)).content.decode()
    assert "5 working days" in html


def test_the_submit_form_opens_the_camera_on_phones(client, world):
    case = drive(report(world), world, "register", "assign", "accept")
    html = login(client, world.clerk).get(detail_url(case)).content.decode()
    assert re.search(
        r'<input type="file" name="photos" accept="image/\*" capture="environment" multiple', html
    )


# --- scope -------------------------------------------------------------------------------------


def test_a_grid_worker_of_another_grid_gets_404_on_the_page_the_act_url_and_photos(client, world):
    case = report(world, photos=[photo_upload()])
    before = snapshot(case)
    login(client, world.worker_b)
    assert client.get(detail_url(case)).status_code == 404
    assert post_action(client, case, "comment", {"note": "看看"}).status_code == 404
    photo = case.photos.get()
    assert client.get(reverse("cases:photo", args=[case.pk, photo.pk])).status_code == 404
    assert snapshot(case) == before


def test_the_404_page_does_not_say_whether_the_case_exists(client, world):
    case = report(world)
    login(client, world.worker_b)
    hidden = client.get(detail_url(case))
    missing = client.get(reverse("cases:detail", args=[999999]))
    assert hidden.status_code == missing.status_code == 404
    assert _neutral(hidden.content.decode()) == _neutral(missing.content.decode())


def _neutral(html: str) -> str:
    """The page without its own address (the language switch's "next") and CSRF tokens."""
    html = re.sub(r"/cases/\d+/", "/cases/N/", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_photo_is_served_to_those_who_see_the_case(client, world):
    case = report(world, photos=[photo_upload()])
    photo = case.photos.get()
    response = login(client, world.worker_a).get(reverse("cases:photo", args=[case.pk, photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert "private" in response["Cache-Control"]


def test_an_unknown_action_is_404(client, world):
    case = report(world)
    assert post_action(login(client, world.office), case, "explode").status_code == 404


def test_the_act_url_refuses_get(client, world):
    case = report(world)
    assert login(client, world.office).get(act_url(case, "register")).status_code == 405


# --- every action through its form ----------------------------------------------------------

Setup = Callable[[Any, Case], Case]


def _steps(*steps: str) -> Setup:
    return lambda world, case: drive(case, world, *steps)


def _with_extension_request(world, case: Case) -> Case:
    case = drive(case, world, "register", "assign", "accept")
    actions.request_extension(
        case, actor=world.clerk.user, expected_version=case.version, days=3, reason="材料未到"
    )
    case.refresh_from_db()
    return case


def _future(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _photo() -> dict[str, Any]:
    return {"photos": [photo_upload("a.png")]}


ACTION_CASES: list[tuple[str, str, Setup, Callable[[Any], dict[str, Any]], Callable[..., bool]]] = [
    (
        "register",
        "office",
        _steps(),
        lambda w: {"urgency": "urgent", "note": "立案"},
        lambda c, w: c.status == Status.REGISTERED and c.urgency == "urgent",
    ),
    (
        "reject",
        "office",
        _steps(),
        lambda w: {"reason": "不属于城市管理问题"},
        lambda c, w: c.status == Status.REJECTED,
    ),
    (
        "mark_duplicate",
        "inspector",
        _steps(),
        None,
        lambda c, w: c.status == Status.DUPLICATE and c.duplicate_of is not None,
    ),
    (
        "fix_on_spot",
        "worker_a",
        _steps(),
        lambda w: {"note": "已劝离摊贩", **_photo()},
        lambda c, w: c.status == Status.CLOSED and c.fixed_on_spot and c.photos.count() == 1,
    ),
    (
        "assign",
        "office",
        _steps("register"),
        lambda w: {"unit": w.other_unit.pk, "due_on": _future(10), "note": "请速办"},
        lambda c, w: (
            c.status == Status.ASSIGNED
            and c.unit == w.other_unit
            and timezone.localtime(c.due_at).date().isoformat() == _future(11)
        ),
    ),
    (
        "accept",
        "clerk",
        _steps("register", "assign"),
        lambda w: {},
        lambda c, w: c.status == Status.IN_PROGRESS,
    ),
    (
        "request_extension",
        "clerk",
        _steps("register", "assign", "accept"),
        lambda w: {"days": "3", "reason": "材料未到"},
        lambda c, w: c.extension_days_requested == 3,
    ),
    (
        "decide_extension",
        "office",
        _with_extension_request,
        lambda w: {"grant": "yes", "days": "2"},
        lambda c, w: (
            c.extension_days_requested is None and c.events.last().data["days_granted"] == 2
        ),
    ),
    (
        "submit",
        "clerk",
        _steps("register", "assign", "accept"),
        lambda w: {"note": "已清理摊位", **_photo()},
        lambda c, w: c.status == Status.SUBMITTED and c.photos.filter(kind="evidence").count() == 1,
    ),
    (
        "verify_pass",
        "inspector",
        _steps("register", "assign", "accept", "submit"),
        lambda w: {"note": "复查合格", **_photo()},
        lambda c, w: c.status == Status.CLOSED,
    ),
    (
        "verify_fail",
        "inspector",
        _steps("register", "assign", "accept", "submit"),
        lambda w: {"reason": "仍有摊位", **_photo()},
        lambda c, w: c.status == Status.REWORK and c.rework_count == 1,
    ),
    (
        "reply",
        "office",
        _steps("register", "assign", "accept", "submit", "verify_pass"),
        lambda w: {"text": "已整改完毕，感谢反映"},
        lambda c, w: c.reply == "已整改完毕，感谢反映",
    ),
    (
        "rate",
        "worker_a",
        _steps("register", "assign", "accept", "submit", "verify_pass", "reply"),
        lambda w: {"score": "4"},
        lambda c, w: c.satisfaction == 4,
    ),
    (
        "urge",
        "leader",
        _steps("register", "assign"),
        lambda w: {"note": "请加快整改"},
        lambda c, w: c.events.last().action == "urge",
    ),
    (
        "comment",
        "worker_a",
        _steps(),
        lambda w: {"note": "摊主已承诺搬离"},
        lambda c, w: c.events.last().note == "摊主已承诺搬离",
    ),
]


@pytest.mark.parametrize(
    ("name", "who", "setup", "data", "check"), ACTION_CASES, ids=[row[0] for row in ACTION_CASES]
)
def test_each_action_form_posts_and_changes_the_case(client, world, name, who, setup, data, check):
    case = setup(world, report(world))
    person = getattr(world, who)
    login(client, person)
    assert name in forms_on(client.get(detail_url(case)).content.decode(), case)
    if name == "mark_duplicate":
        payload = {"original": report(world).tracking_code.lower()}
    else:
        payload = data(world)
    events = case.events.count()
    response = post_action(client, case, name, payload)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == detail_url(case)
    case.refresh_from_db()
    assert case.events.count() == events + 1
    assert case.events.last().action == name
    assert check(case, world), f"{name} did not do what it should"
    page = client.get(response["Location"])
    assert f"{TRANSITIONS[name].label}: done." in page.content.decode()


def test_refusing_an_extension_needs_a_reason_and_keeps_the_deadline(client, world):
    case = _with_extension_request(world, report(world))
    login(client, world.office)
    response = post_action(client, case, "decide_extension", {"grant": "no", "days": ""})
    assert response.status_code == 400
    assert "Reason for refusal is required." in response.content.decode()
    due = case.due_at
    response = post_action(client, case, "decide_extension", {"grant": "no", "note": "理由不足"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.due_at == due and case.extension_days_requested is None


def test_a_unit_returning_a_case_is_sent_to_the_ledger_because_it_left_their_scope(client, world):
    case = drive(report(world), world, "register", "assign")
    login(client, world.clerk)
    response = post_action(client, case, "return_case", {"reason": "不属于本单位职责"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:ledger")
    case.refresh_from_db()
    assert case.status == Status.RETURNED and case.unit is None
    page = client.get(response["Location"]).content.decode()
    assert "Return: not ours (退回): done." in page
    assert "The case has left your responsibility." in page


# --- refused posts change nothing and say why ---------------------------------------------------


def test_an_illegal_action_changes_nothing_and_shows_the_message_with_the_typed_text(client, world):
    case = report(world)
    before = snapshot(case)
    login(client, world.worker_a)
    response = post_action(client, case, "register", {"note": "我想立案的理由"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your role may not Register (立案)." in html
    assert "Nothing was changed." in html
    assert "我想立案的理由" in html
    assert snapshot(case) == before


def test_an_action_in_the_wrong_state_is_409_and_changes_nothing(client, world):
    case = report(world)
    before = snapshot(case)
    login(client, world.inspector)
    response = post_action(client, case, "verify_pass", {"note": "合格"})
    assert response.status_code == 409
    assert "cannot be: Verified: close (核查通过, 销号)" in response.content.decode()
    assert snapshot(case) == before


def test_a_stale_version_says_someone_else_changed_the_case_and_keeps_the_input(client, world):
    case = drive(report(world), world, "register", "assign")
    seen = case.version
    login(client, world.clerk)
    # The office urges the unit while the clerk is typing.
    actions.urge(case, actor=world.office.user, expected_version=seen, note="请加快")
    before = snapshot(case)
    response = post_action(client, case, "accept", {"note": "收到，马上处理"}, version=seen)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this case in the meantime" in html
    assert "收到，马上处理" in html
    assert snapshot(case) == before
    # The form is drawn again on the current version, so a second send works.
    assert f'name="version" value="{case.version}"' in html
    assert post_action(client, case, "accept", {"note": "收到"}).status_code == 302


def test_invalid_input_is_400_with_the_error_beside_the_field(client, world):
    case = drive(report(world), world, "register", "assign", "accept")
    before = snapshot(case)
    login(client, world.clerk)
    response = post_action(client, case, "request_extension", {"days": "99", "reason": "来不及"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'<details class="action action-request_extension"[^>]* open>', html)
    assert "来不及" in html and 'value="99"' in html
    assert snapshot(case) == before


def test_a_refused_photo_keeps_the_text_and_asks_to_choose_photos_again(client, world):
    case = drive(report(world), world, "register", "assign", "accept")
    before = snapshot(case)
    login(client, world.clerk)
    bad = photo_upload("fake.png", b"not an image at all")
    response = post_action(client, case, "submit", {"note": "已清理", "photos": [bad]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Photo fake.png was refused" in html
    assert "已清理" in html
    assert "please choose them again" in html
    assert snapshot(case) == before


def test_a_missing_version_is_refused(client, world):
    case = report(world)
    login(client, world.office)
    response = client.post(act_url(case, "register"), {"note": "x"})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.REPORTED


def test_a_duplicate_of_an_unknown_code_is_an_error_on_that_field(client, world):
    case = report(world)
    login(client, world.office)
    response = post_action(client, case, "mark_duplicate", {"original": "NOPE-123"})
    assert response.status_code == 400
    assert "No case with this tracking code." in response.content.decode()


# --- htmx -------------------------------------------------------------------------------------


def test_an_htmx_action_returns_the_updated_partial_with_the_message(client, world):
    case = drive(report(world), world, "register", "assign")
    login(client, world.clerk)
    response = post_action(client, case, "accept", {"note": "收到"}, htmx=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="case"')
    assert "<html" not in html
    assert 'data-status="in_progress"' in html
    assert "Accept (签收): done." in html
    # The message was shown once, in the partial: the next page does not repeat it.
    assert "Accept (签收): done." not in client.get(detail_url(case)).content.decode()


def test_an_htmx_action_error_returns_the_partial_with_the_error_status(client, world):
    case = drive(report(world), world, "register", "assign")
    login(client, world.clerk)
    response = post_action(client, case, "accept", {"note": "收到"}, version=1, htmx=True)
    assert response.status_code == 409
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="case"')
    assert "Someone else changed this case" in html


def test_an_htmx_action_that_takes_the_case_out_of_scope_redirects_the_browser(client, world):
    case = drive(report(world), world, "register", "assign")
    login(client, world.clerk)
    response = post_action(client, case, "return_case", {"reason": "非本单位"}, htmx=True)
    assert response["HX-Redirect"] == reverse("cases:ledger")


def test_every_event_written_by_the_pages_names_its_actor(client, world):
    case = report(world)
    login(client, world.office)
    post_action(client, case, "register", {})
    event = CaseEvent.objects.filter(case=case, action="register").get()
    assert event.actor == world.office.user and event.actor_role == "office"


def test_the_reporters_phone_is_shown_in_full_only_to_those_who_handle_the_case(client, world):
    case = report(world, by=world.resident, reporter_phone="13812345678")
    case = drive(case, world, "register", "assign")
    for person, full in [
        (world.office, True),
        (world.clerk, True),
        (world.leader, False),
        (world.worker_a, False),
    ]:
        client.logout()
        html = login(client, person).get(detail_url(case)).content.decode()
        assert ("13812345678" in html) is full, person.role
        assert full or "138****5678" in html
