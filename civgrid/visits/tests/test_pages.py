"""The visit pages: my due list, a household with its history, logging a visit, coverage."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from civgrid.cases.models import Case, Source
from civgrid.testing import PASSWORD, photo_upload
from civgrid.visits.models import Visit
from civgrid.visits.tests.factories import local, make_household, make_plan, make_visit


def login(client, person):
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


@pytest.fixture
def homes(world):
    return (
        make_household(world.grid_a, code="A1", aged_80_plus=True, address="国槐街1号"),
        make_household(world.grid_a, code="A2", aged_80_plus=True, address="国槐街2号"),
        make_household(world.grid_b, code="B1", aged_80_plus=True, address="富民路1号"),
    )


def test_worker_b_cannot_open_worker_as_household(client, world, homes):
    login(client, world.worker_b)
    assert client.get(reverse("visits:household", args=[homes[0].pk])).status_code == 404
    assert client.post(reverse("visits:household", args=[homes[0].pk]), {}).status_code == 404
    assert Visit.objects.count() == 0


def test_clerks_and_residents_do_not_see_the_visit_pages(client, world, homes):
    for person in (world.clerk, world.resident):
        login(client, person)
        assert client.get(reverse("visits:households")).status_code == 403
        assert client.get(reverse("visits:due")).status_code == 403


def test_my_due_list_shows_my_unvisited_households_this_quarter(client, world, homes, time_machine):
    time_machine.move_to(dt.datetime(2024, 9, 30, 4, 0, tzinfo=dt.UTC))
    make_plan(name="80岁以上老人季度走访")
    make_visit(homes[0], world.worker_a, local(2024, 9, 2, 10, 0))
    page = login(client, world.worker_a).get(reverse("visits:due"))
    (block,) = page.context["blocks"]
    assert [h.code for h in block.households] == ["A2"]
    assert (block.done, block.total, block.days_left) == (1, 2, 1)
    assert "富民路1号" not in page.content.decode()


def test_logging_a_visit_with_a_problem_puts_a_home_visit_case_on_the_ledger(client, world, homes):
    login(client, world.worker_a)
    url = reverse("visits:household", args=[homes[0].pk])
    form = client.get(url).context["form"]
    key = form.initial["client_key"]
    data = {
        "client_key": key,
        "notes": "老人独自在家，身体尚可",
        "raise_problem": "on",
        "category": world.category.pk,
        "description": "楼道灯不亮",
        "urgency": "normal",
        "photos": [photo_upload()],
    }
    first = client.post(url, data)
    assert first.status_code == 302
    again = client.post(url, {**data, "photos": [photo_upload()]})  # the form sent twice
    assert again.status_code == 302
    visit = Visit.objects.get()
    case = Case.objects.get()
    assert list(visit.cases.all()) == [case]
    assert (case.source, case.grid, case.photos.count()) == (Source.HOME_VISIT, world.grid_a, 1)
    page = client.get(url)
    assert case.tracking_code in page.content.decode()


def test_a_problem_without_a_description_keeps_the_form_and_writes_nothing(client, world, homes):
    login(client, world.worker_a)
    url = reverse("visits:household", args=[homes[0].pk])
    page = client.post(
        url,
        {
            "notes": "走访",
            "raise_problem": "on",
            "category": world.category.pk,
            "urgency": "normal",
        },
    )
    assert page.status_code == 400
    assert page.context["form"].errors["description"]
    assert page.context["form"]["notes"].value() == "走访"
    assert Visit.objects.count() == 0


def test_coverage_page_for_the_office_with_drill_down(client, world, homes, time_machine):
    time_machine.move_to(dt.datetime(2024, 10, 2, 4, 0, tzinfo=dt.UTC))
    plan = make_plan()
    make_visit(homes[0], world.worker_a, local(2024, 10, 1, 9, 0))
    make_visit(homes[1], world.worker_a, local(2024, 9, 1, 9, 0))
    login(client, world.office)
    page = client.get(reverse("visits:coverage"), {"plan": plan.pk})
    assert page.status_code == 200
    assert [(r.name, r.total, r.visited) for r in page.context["by_grid"]] == [
        ("富民社区网格", 1, 0),
        ("国槐街网格", 2, 1),
    ]
    assert [(r.name, r.percent) for r in page.context["by_worker"]] == [
        ("网格员乙", 0.0),
        ("网格员甲", 50.0),
    ]
    assert page.context["missed"] == 2  # A1 and B1 were not visited in Q3
    url = reverse("visits:plan_list", args=[plan.pk])
    due = client.get(url, {"which": "due", "worker": world.worker_a.pk})
    assert [h.code for h in due.context["rows"]] == ["A2"]
    missed = client.get(url, {"which": "missed", "grid": world.grid_a.pk})
    assert [h.code for h in missed.context["rows"]] == ["A1"]


def test_a_worker_cannot_open_coverage(client, world):
    login(client, world.worker_a)
    assert client.get(reverse("visits:coverage")).status_code == 403
