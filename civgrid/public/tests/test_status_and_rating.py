"""Following a public report: the status by tracking code (no names, no phone numbers), the
rating only with the private link, once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civgrid.cases import actions as case_actions
from civgrid.cases.actions import IllegalTransition, NotAllowed
from civgrid.cases.models import CaseEvent
from civgrid.public import actions
from civgrid.public.models import Channel
from civgrid.testing import drive


def submit(world, **kw):
    defaults = dict(
        channel=Channel.WEB,
        category=world.category,
        description="路灯不亮",
        longitude=114.605,
        latitude=33.605,
        reporter_name="王先生",
        reporter_phone="13900001111",
        ip="10.0.0.1",
    )
    defaults.update(kw)
    return actions.submit_report(**defaults)


def answered(world):
    done = submit(world)
    case = drive(done.case, world, "register", "assign", "accept", "submit", "verify_pass", "reply")
    return done, case


def test_the_status_page_shows_progress_and_the_reply_without_names_or_phones(client, world):
    done, case = answered(world)
    page = client.get(reverse("public:status", args=[case.tracking_code])).content.decode()
    assert "Solved" in page and "已整改完毕" in page  # the reply of testing.drive
    assert "Handed to the unit responsible" in page and "The unit reported the fix" in page
    for secret in (
        "13900001111",
        "王先生",
        "创建办张主任",
        "城管局联络员",
        "督查李科长",
        "已清理摊位",
    ):
        assert secret not in page
    assert 'name="score"' not in page  # the code alone cannot rate
    headers = client.get(reverse("public:status", args=[case.tracking_code])).headers
    assert headers["Referrer-Policy"] == "same-origin"


def test_a_lowercase_code_is_found_and_an_unknown_or_staff_case_code_is_404(client, world):
    done = submit(world)
    assert (
        client.get(reverse("public:status", args=[done.case.tracking_code.lower()])).status_code
        == 200
    )
    assert client.get(reverse("public:status", args=["250101-XXXXXX"])).status_code == 404
    from civgrid.testing import report

    staff_case = report(world)
    assert client.get(reverse("public:status", args=[staff_case.tracking_code])).status_code == 404


def test_the_lookup_form_leads_to_the_status_page(client, world):
    done = submit(world)
    response = client.get(reverse("public:track"), {"code": f" {done.case.tracking_code} "})
    assert response["Location"] == reverse("public:status", args=[done.case.tracking_code])


def test_guessing_tracking_codes_is_rate_limited(client, world, settings):
    settings.CIVGRID_PUBLIC_RATE_LIMITS = {"lookup_ip": (3, 600)}
    for n in range(3):
        assert client.get(reverse("public:status", args=[f"250101-AAAAA{n}"])).status_code == 404
    response = client.get(reverse("public:status", args=["250101-AAAAA9"]))
    assert response.status_code == 429 and response["Retry-After"]


def test_the_resident_rates_once_with_the_private_link(client, world):
    done, case = answered(world)
    url = reverse("public:private", args=[case.tracking_code, done.token])
    page = client.get(url).content.decode()
    assert 'name="score"' in page
    response = client.post(url, {"score": "4", "note": "挺快的", "version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.satisfaction == 4
    event = CaseEvent.objects.filter(case=case, action="rate").get()
    assert event.actor is None and event.actor_name == "Resident (public page)"
    assert event.data == {"score": 4, "public": True} and event.note == "挺快的"
    again = client.post(url, {"score": "1", "version": case.version})
    assert again.status_code == 409 and "already been rated" in again.content.decode()
    case.refresh_from_db()
    assert case.satisfaction == 4


def test_a_wrong_token_cannot_see_the_private_page_or_rate(client, world):
    done, case = answered(world)
    url = reverse("public:private", args=[case.tracking_code, "not-the-token"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"score": "5"}).status_code == 404
    with pytest.raises(NotAllowed):
        actions.rate_report(done.report, token="guess", score=5, expected_version=None)
    case.refresh_from_db()
    assert case.satisfaction is None


def test_there_is_no_rating_before_the_answer(client, world):
    done = submit(world)
    url = reverse("public:private", args=[done.case.tracking_code, done.token])
    assert 'name="score"' not in client.get(url).content.decode()
    with pytest.raises(IllegalTransition):
        actions.rate_report(done.report, token=done.token, score=5, expected_version=None)


def test_rate_public_refuses_a_case_reported_by_a_registered_person(world):
    from civgrid.testing import report

    case = drive(report(world, by=world.resident), world, "register", "assign", "accept")
    case = drive(case, world, "submit", "verify_pass", "reply")
    with pytest.raises(NotAllowed):
        case_actions.rate_public(case, actor_label="x", expected_version=None, score=5)


def test_the_office_sees_the_phone_of_a_public_report_and_the_worker_sees_it_masked(client, world):
    from civgrid.cases.queries import may_see_full_phone

    done = submit(world)
    assert may_see_full_phone(world.office.user, done.case)
    assert not may_see_full_phone(world.worker_a.user, done.case)
    assert done.case.masked_phone() == "139****1111"
