"""The region tree's materialized paths follow every move, wherever it is made (admin, import)."""

import pytest
from django.core.exceptions import ValidationError

from civgrid.cases.queries import cases_for_user
from civgrid.org.models import Role
from civgrid.territory.models import Region
from civgrid.testing import make_person, make_region, report


def test_moving_an_area_takes_its_grids_along_and_scope_follows(world):
    case = report(world)
    street_2 = make_region(
        code="S2", name="城南街道", level=Region.Level.STREET, parent=world.district
    )
    leader_2 = make_person(Role.LEADER, regions=[street_2])
    assert not cases_for_user(leader_2.user).exists()

    world.area.parent = street_2
    world.area.save()

    world.grid_a.refresh_from_db()
    assert world.grid_a.path == f"{street_2.path}{world.area.pk}/{world.grid_a.pk}/"
    assert list(cases_for_user(leader_2.user)) == [case]
    assert list(cases_for_user(world.leader.user)) == [case]  # the area's own leader keeps it


def test_a_region_cannot_be_put_under_itself_or_skip_a_level(world):
    world.street.parent = world.area
    with pytest.raises(ValidationError) as err:
        world.street.full_clean()
    assert "parent" in err.value.message_dict
    world.street.refresh_from_db()
    world.grid_a.parent = world.street
    with pytest.raises(ValidationError):
        world.grid_a.full_clean()
    orphan = Region(code="X1", name="无上级网格", level=Region.Level.GRID)
    with pytest.raises(ValidationError):
        orphan.full_clean()
