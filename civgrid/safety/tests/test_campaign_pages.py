"""Campaign pages, the check on the phone (form and API), scope."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from civgrid.safety.models import Campaign, Hazard, SafetyCheck
from civgrid.safety.tests.factories import build_campaign
from civgrid.testing import PASSWORD, build_city


@pytest.fixture
def w(world):
    return build_campaign(world)


def login(client, username):
    assert client.login(username=username, password=PASSWORD)


def form_data(w, failed=()):
    data = {"client_key": "form-1", "note": ""}
    for code in ("XF-01", "XF-05", "SP-01"):
        item = w.items[code]
        data[f"result_{item.pk}"] = "fail" if code in failed else "pass"
        data[f"note_{item.pk}"] = "堆放杂物" if code in failed else ""
    return data


def test_the_grid_worker_checks_a_venue_on_the_phone_page_once(client, w):
    login(client, "worker_a")
    body = client.get(reverse("safety:my_checks")).content.decode()
    assert "老张烩面馆" in body and "国槐宾馆" in body
    url = reverse("safety:check", args=[w.assignment_eatery.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, form_data(w, failed=["XF-01"])).status_code == 302
    assert client.post(url, form_data(w, failed=["XF-01"])).status_code == 302  # resent
    assert SafetyCheck.objects.count() == 1 and Hazard.objects.count() == 1


def test_another_grids_worker_cannot_open_the_check(client, w):
    login(client, "worker_b")
    assert client.get(reverse("safety:check", args=[w.assignment_eatery.pk])).status_code == 404


def test_the_api_records_a_check_once_per_idempotency_key(client, w):
    login(client, "inspector")
    answers = [
        {"item": w.items["XF-01"].pk, "result": "fail", "note": "锁闭"},
        {"item": w.items["XF-05"].pk, "result": "pass"},
        {"item": w.items["SP-01"].pk, "result": "pass"},
    ]
    payload = {"assignment": w.assignment_eatery.pk, "answers": json.dumps(answers)}
    url = reverse("api:safety-check-list")
    first = client.post(url, payload, HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(url, payload, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["hazards"] == again.json()["hazards"] and len(first.json()["hazards"]) == 1
    assert Hazard.objects.count() == 1


def test_the_api_refuses_a_venue_of_another_group(client, w):
    login(client, "worker_b")
    payload = {"assignment": w.assignment_eatery.pk, "answers": "[]"}
    assert client.post(reverse("api:safety-check-list"), payload).status_code == 404


def test_the_campaign_page_shows_the_figures_and_their_hazards(client, w):
    login(client, "worker_a")
    client.post(
        reverse("safety:check", args=[w.assignment_eatery.pk]), form_data(w, failed=["SP-01"])
    )
    login(client, "office")
    url = reverse("safety:campaign", args=[w.campaign.pk])
    body = client.get(url).content.decode()
    assert 'id="sentence"' in body and "冬春火灾防控专项检查" in body
    listed = client.get(url + "?list=pending").content.decode()
    hazard = Hazard.objects.get()
    assert hazard.case.tracking_code in listed
    response = client.post(reverse("safety:dispatch", args=[w.campaign.pk, hazard.pk]))
    assert response.status_code == 302
    hazard.case.refresh_from_db()
    assert hazard.case.status == "assigned"


def test_the_office_plans_a_campaign_and_forms_a_group(client, w):
    login(client, "office")
    today = timezone.localdate().isoformat()
    response = client.post(
        reverse("safety:campaigns"),
        {"name": "夏季安全检查", "region": w.district.pk, "starts_on": today, "ends_on": today},
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="夏季安全检查")
    client.post(
        reverse("safety:add_group", args=[campaign.pk]),
        {"name": "一组", "members": [w.worker_a.pk, w.inspector.pk]},
    )
    client.post(reverse("safety:divide", args=[campaign.pk]), {"by": "kind"})
    assert campaign.assignments.count() == 2


def test_another_districts_office_cannot_see_the_campaign(client, w):
    build_city(w)
    login(client, "office_hy")
    assert client.get(reverse("safety:campaign", args=[w.campaign.pk])).status_code == 404
    login(client, "city_office")
    assert client.get(reverse("safety:campaign", args=[w.campaign.pk])).status_code == 200
