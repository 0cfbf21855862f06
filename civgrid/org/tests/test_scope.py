"""Region scope: who sees which part of the region tree (civgrid/org/scope.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from civgrid.org.scope import Scope, district_choices, scope_of
from civgrid.territory.models import Region
from civgrid.testing import make_region

pytestmark = pytest.mark.django_db


def grids(scope: Scope) -> set[str]:
    return set(scope.regions().filter(level=Region.Level.GRID).values_list("code", flat=True))


def test_city_office_sees_both_districts_district_offices_their_own(city):
    assert scope_of(city.city_office.user).is_everything
    assert grids(scope_of(city.city_office.user)) == {
        city.grid_a.code,
        city.grid_b.code,
        city.grid2.code,
    }
    assert grids(scope_of(city.office.user)) == {city.grid_a.code, city.grid_b.code}
    assert grids(scope_of(city.office2.user)) == {city.grid2.code}
    assert grids(scope_of(city.inspector2.user)) == {city.grid2.code}


def test_covers_and_q_agree(city):
    scope = scope_of(city.office.user)
    assert scope.covers(city.grid_a)
    assert scope.covers(city.district)
    assert not scope.covers(city.grid2)
    assert not scope.covers(city.city)
    assert not scope.covers(None)
    from civgrid.territory.models import Site
    from civgrid.testing import make_site

    make_site(grid=city.grid_a, name="甲")
    make_site(grid=city.grid2, name="乙")
    assert list(scope.filter(Site.objects.all()).values_list("name", flat=True)) == ["甲"]
    assert list(
        scope_of(city.office2.user).filter(Site.objects.all()).values_list("name", flat=True)
    ) == ["乙"]


def test_grid_worker_and_clerk_scopes(city):
    assert grids(scope_of(city.worker_a.user)) == {city.grid_a.code}
    assert grids(scope_of(city.worker2.user)) == {city.grid2.code}
    # a clerk's scope is their unit's district
    assert grids(scope_of(city.clerk2_district.user)) == {city.grid2.code}
    assert grids(scope_of(city.clerk.user)) == {city.grid_a.code, city.grid_b.code}


def test_units_a_district_may_use(city):
    from civgrid.testing import make_unit

    city_unit = make_unit(name="市住建局", code="SZJ", region=city.city)
    shared = make_unit(name="供电公司", code="GD")
    office = scope_of(city.office.user)
    office2 = scope_of(city.office2.user)
    assert set(office.units()) == {city.unit, city.other_unit, city_unit, shared}
    assert set(office2.units()) == {city.unit2, city_unit, shared}
    assert office.covers_unit(city_unit) and not office.covers_unit(city.unit2)
    assert scope_of(city.city_office.user).covers_unit(city.unit2)


def test_resident_and_anonymous_see_nothing_by_region(city):
    from django.contrib.auth.models import AnonymousUser

    assert scope_of(city.resident.user).is_nothing
    assert scope_of(AnonymousUser()).is_nothing
    assert not scope_of(AnonymousUser()).covers(city.grid_a)


def test_superuser_without_person_is_the_city(city):
    admin = get_user_model().objects.create_superuser("root", password="x")
    assert scope_of(admin).is_everything


def test_single_district_installation_unchanged(world):
    # An office with no region in a one-district installation sees everything, as before.
    assert scope_of(world.office.user).is_everything
    assert grids(scope_of(world.worker_b.user)) == {world.grid_b.code}


def test_district_choices(city):
    assert list(district_choices(city.city_office.user)) == [city.district, city.district2]
    assert list(district_choices(city.office2.user)) == [city.district2]
    assert list(district_choices(city.worker_a.user)) == []


def test_district_of_a_grid(city):
    assert city.grid2.district() == city.district2
    assert city.grid_a.district() == city.district
    assert city.city.district() is None
    assert city.district.ancestor_ids == [city.city.pk, city.district.pk]


def test_city_is_a_root_and_only_roots_lack_a_parent(city):
    city.city.full_clean()
    street = Region(code="X1", name="孤立街道", level=Region.Level.STREET)
    with pytest.raises(ValidationError):
        street.full_clean()
    orphan_district = make_region(code="X2", name="独立区", level=Region.Level.DISTRICT)
    orphan_district.full_clean()
    wrong = Region(code="X3", name="错层", level=Region.Level.STREET, parent=city.city)
    with pytest.raises(ValidationError):
        wrong.full_clean()


def test_nested_assignments_collapse():
    scope = Scope(None)
    assert scope.is_everything
    r = Scope.of_regions([])
    assert r.is_nothing
    assert Scope(("/1/",)).covers(Region(path="/1/5/"))
    assert not Scope(("/1/",)).covers(Region(path="/10/5/"))
    from civgrid.org.scope import _minimal

    assert _minimal(["/1/", "/1/4/", "/2/"]) == ("/1/", "/2/")
