"""The visits panel of the start page (待办): a grid worker's households still to visit."""

from __future__ import annotations

from django.urls import reverse

from civgrid.visits.tests.factories import local, make_household, make_plan, make_visit
from civgrid.visits.todo import visits_due

NOW = local(2026, 3, 25, 10)  # a week before the first quarter ends


def test_the_grid_worker_sees_households_still_to_visit_in_their_grids_only(world):
    plan = make_plan(name="八十岁以上老人季度走访")
    mine = [make_household(world.grid_a, aged_80_plus=True) for _ in range(3)]
    make_household(world.grid_b, aged_80_plus=True)
    make_visit(mine[0], world.worker_a, local(2026, 2, 3, 9))
    make_visit(mine[1], world.worker_a, local(2025, 12, 20, 9))  # last quarter: still due

    panel = visits_due(world.worker_a.user, "grid_worker", NOW)

    assert panel is not None and panel.count == 2 and panel.url == reverse("visits:due")
    [item] = panel.items
    assert (item.label, item.detail, item.level) == (
        plan.name,
        "2 to visit, 7 days left",
        "warning",
    )


def test_a_plan_with_everyone_visited_shows_no_line(world):
    make_plan()
    home = make_household(world.grid_a, aged_80_plus=True)
    make_visit(home, world.worker_a, local(2026, 1, 10, 9))

    panel = visits_due(world.worker_a.user, "grid_worker", NOW)

    assert panel is not None and (panel.count, panel.items, panel.level) == (0, (), "")


def test_only_grid_workers_get_the_visits_panel(world):
    make_plan()
    make_household(world.grid_a, aged_80_plus=True)
    for persona in ("office", "leader", "clerk", "resident"):
        person = getattr(world, persona)
        assert visits_due(person.user, person.role, NOW) is None
