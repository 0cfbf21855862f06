"""The households drill-down names a grid worker only to those who may see that worker's
grids: `?worker=<id>` of someone outside them answers 404 and shows no name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civgrid.testing import PASSWORD
from civgrid.visits.tests.factories import make_household, make_plan


@pytest.fixture
def plan_url(world):
    make_household(world.grid_a, code="A1", aged_80_plus=True)
    make_household(world.grid_b, code="B1", aged_80_plus=True)
    return reverse("visits:plan_list", args=[make_plan().pk])


def test_a_grid_worker_cannot_name_another_grids_worker_by_id(client, world, plan_url):
    client.login(username="worker_a", password=PASSWORD)
    response = client.get(plan_url, {"worker": world.worker_b.pk})
    assert response.status_code == 404
    assert "网格员乙" not in response.content.decode()


def test_a_leader_of_grid_a_cannot_name_grid_bs_worker(client, world, plan_url):
    world.leader.regions.set([world.grid_a])
    client.login(username="leader", password=PASSWORD)
    assert client.get(plan_url, {"worker": world.worker_b.pk}).status_code == 404
    mine = client.get(plan_url, {"worker": world.worker_a.pk})
    assert mine.status_code == 200 and "网格员甲" in mine.content.decode()


def test_a_grid_worker_still_drills_down_on_themselves(client, world, plan_url):
    client.login(username="worker_a", password=PASSWORD)
    page = client.get(plan_url, {"worker": world.worker_a.pk})
    assert page.status_code == 200 and [h.code for h in page.context["rows"]] == ["A1"]
