"""The phone app's pages, its service worker and manifest, and the patrol pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from civgrid.fieldwork import actions
from civgrid.testing import PASSWORD, drive, report


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def test_home_lists_my_open_cases_with_deadlines_and_marks_overdue(client, world, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC))
    late = drive(report(world), world, "register", "assign")
    fresh = report(world, description="垃圾乱堆")
    report(world, by=world.worker_b, longitude=114.615, latitude=33.605)  # grid B: not mine
    time_machine.move_to(dt.datetime(2025, 4, 1, 9, 0, tzinfo=dt.UTC))
    page = login(client, world.worker_a).get(reverse("fieldwork:home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert late.tracking_code in html and fresh.tracking_code in html
    assert html.count('<li class="m-case') == 2
    assert html.count('<li class="m-case m-overdue') == 1
    assert page.context["counts"] == {"open": 2, "overdue": 1}
    # The case with a deadline comes first.
    assert [c.pk for c in page.context["cases"]] == [late.pk, fresh.pk]


def test_report_page_offers_categories_and_my_only_grid_preselected(client, world):
    page = login(client, world.worker_a).get(reverse("fieldwork:report"))
    html = page.content.decode()
    assert f'<option value="{world.category.pk}">占道经营</option>' in html
    assert f'<option value="{world.grid_a.pk}" selected>' in html
    assert world.grid_b.name not in html


def test_the_service_worker_is_javascript_allowed_on_m_and_lists_the_shell(client, world):
    response = login(client, world.worker_a).get("/m/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/m/"
    body = response.content.decode()
    assert '"/m/report/"' in body and "fieldwork/outbox.js" in body
    assert "__VERSION__" not in body


def test_the_manifest_makes_the_app_installable(client):
    data = client.get("/m/manifest.webmanifest").json()
    assert data["start_url"] == "/m/" and data["display"] == "standalone"
    assert data["theme_color"].startswith("#")
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for icon, size in zip(data["icons"], (192, 512), strict=True):
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path is not None
        with Image.open(path) as image:
            assert image.size == (size, size)


@pytest.mark.parametrize("name", ["home", "report", "patrol", "outbox"])
def test_phone_pages_need_a_login(client, name):
    response = client.get(reverse(f"fieldwork:{name}"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def _patrol(world, person, minutes=10):
    start = timezone.now() - dt.timedelta(minutes=minutes)
    patrol, _created = actions.start_patrol(actor=person.user, client_key="k1", started_at=start)
    actions.add_points(
        patrol,
        actor=person.user,
        points=[
            actions.PointInput(start + dt.timedelta(minutes=1), 114.601, 33.601, 5),
            actions.PointInput(start + dt.timedelta(minutes=2), 114.602, 33.601, 5),
        ],
    )
    return actions.end_patrol(patrol, actor=person.user)


def test_office_sees_patrols_with_length_and_the_track(client, world):
    patrol = _patrol(world, world.worker_a)
    login(client, world.office)
    page = client.get(reverse("fieldwork:patrols"))
    assert page.status_code == 200
    assert f'data-patrol="{patrol.pk}"' in page.content.decode()
    assert "93 m" in page.content.decode()  # 0.001° of longitude at 33.6° N ≈ 92.7 m
    detail = client.get(reverse("fieldwork:patrol_detail", args=[patrol.pk]))
    assert detail.context["track"]["coordinates"] == [[114.601, 33.601], [114.602, 33.601]]


def test_another_worker_cannot_open_my_patrol_and_a_clerk_not_the_list(client, world):
    patrol = _patrol(world, world.worker_a)
    login(client, world.worker_b)
    assert client.get(reverse("fieldwork:patrol_detail", args=[patrol.pk])).status_code == 404
    client.logout()
    login(client, world.clerk)
    assert client.get(reverse("fieldwork:patrols")).status_code == 403


def test_the_leader_of_the_area_sees_its_workers_patrols(client, world):
    patrol = _patrol(world, world.worker_a)
    login(client, world.leader)
    assert client.get(reverse("fieldwork:patrol_detail", args=[patrol.pk])).status_code == 200
