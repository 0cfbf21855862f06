import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from civgrid.territory.actions import import_regions
from civgrid.territory.models import Region
from civgrid.territory.queries import locate_grid
from civgrid.testing import square

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def feature(code, name, level, parent_code="", geometry=None, **props):
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "code": code,
            "name": name,
            "level": level,
            "parent_code": parent_code,
            **props,
        },
    }


def collection(*features):
    return json.dumps({"type": "FeatureCollection", "features": list(features)})


def snapshot():
    return list(
        Region.objects.order_by("code").values_list(
            "code", "name", "level", "parent_id", "path", "geometry", "households", "residents"
        )
    )


BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [[114.7, 33.7], [114.71, 33.71], [114.71, 33.7], [114.7, 33.71], [114.7, 33.7]]
    ],
}


def test_a_tree_imports_with_parents_listed_after_their_children():
    data = collection(
        feature(
            "G1", "一号网格", "grid", "A1", square(114.60, 33.60), households=100, residents=300
        ),
        feature("G2", "二号网格", 4, "A1", square(114.61, 33.60), households="90", residents=280),
        feature("A1", "第一片区", "片区", "S1"),
        feature("S1", "七一路街道", "street", "D1"),
        feature("D1", "川汇区", "1"),
    )
    result = import_regions(data, actor=None)
    assert result.ok, result.problems
    assert sorted(result.created) == ["A1", "D1", "G1", "G2", "S1"]
    d, s, a, g1 = (Region.objects.get(code=c) for c in ("D1", "S1", "A1", "G1"))
    assert g1.parent == a and a.parent == s and s.parent == d and d.parent is None
    assert g1.path == f"/{d.pk}/{s.pk}/{a.pk}/{g1.pk}/"
    assert (g1.level, g1.households, g1.residents) == (Region.Level.GRID, 100, 300)
    assert Region.objects.get(code="G2").households == 90
    assert locate_grid(114.605, 33.605) == g1


def test_existing_codes_are_updated_and_counts_left_out_are_kept(world):
    data = collection(
        feature(
            world.grid_a.code,
            "国槐街网格（调整）",
            "grid",
            world.area.code,
            square(114.60, 33.60, 0.008),
            residents=320,
        )
    )
    result = import_regions(data, actor=None)
    assert result.ok
    assert result.updated == [world.grid_a.code] and result.created == []
    world.grid_a.refresh_from_db()
    assert world.grid_a.name == "国槐街网格（调整）"
    assert (world.grid_a.households, world.grid_a.residents) == (120, 320)
    assert world.grid_a.geometry == square(114.60, 33.60, 0.008)


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world):
    data = collection(feature("NEW-AREA", "第二片区", "area", world.street.code))
    assert import_regions(data, actor=None).created == ["NEW-AREA"]
    again = import_regions(data, actor=None)
    assert (again.created, again.updated, again.unchanged) == ([], [], ["NEW-AREA"])


def test_an_area_moved_to_another_street_takes_its_grids_along(world):
    data = collection(
        feature("S2", "荷花路街道", "street", world.district.code),
        feature(world.area.code, world.area.name, "area", "S2"),
    )
    assert import_regions(data, actor=None).ok
    s2 = Region.objects.get(code="S2")
    world.grid_a.refresh_from_db()
    assert world.grid_a.path == f"/{world.district.pk}/{s2.pk}/{world.area.pk}/{world.grid_a.pk}/"
    assert locate_grid(114.605, 33.605) == world.grid_a


def test_a_bad_file_changes_nothing_and_reports_every_problem(world):
    before = snapshot()
    data = collection(
        feature("G1", "网格一", "grid", world.area.code, square(114.70, 33.60)),
        feature("G1", "重复", "grid", world.area.code, square(114.72, 33.60)),
        feature("G3", "无父", "grid", "NOPE", square(114.74, 33.60)),
        feature("G4", "跳级", "grid", world.street.code, square(114.76, 33.60)),
        feature("G5", "无边界", "grid", world.area.code),
        feature("G6", "自相交", "grid", world.area.code, BOWTIE),
        feature("", "", "county"),
        feature("G7", "负数", "grid", world.area.code, square(114.78, 33.60), residents=-5),
        feature(world.grid_b.code, "改级别", "area", world.street.code),
    )
    result = import_regions(data, actor=None)
    assert not result.ok
    # Feature by feature (numbered from 1), then field by field.
    assert [(p.number, p.code, p.field) for p in result.errors] == [
        (2, "G1", "code"),
        (3, "G3", "parent_code"),
        (4, "G4", "level"),
        (5, "G5", "geometry"),
        (6, "G6", "geometry"),
        (7, "", "code"),
        (7, "", "name"),
        (7, "", "level"),
        (8, "G7", "residents"),
        (9, world.grid_b.code, "level"),
    ]
    messages = [p.message for p in result.errors]
    assert messages[0] == "Code G1 appears more than once (first in feature 1)."
    assert messages[1] == "Unknown parent NOPE: not in this file nor in civgrid."
    assert messages[2] == (
        f"The parent of a grid must be an area, but {world.street.code} is a street."
    )
    assert messages[3] == "A grid needs its polygon."
    assert messages[4].startswith("Invalid polygon: invalid geometry: Self-intersection")
    assert messages[7] == (
        'Unknown level "county": use city, district, street, area or grid (or 0-4).'
    )
    assert messages[8] == "Must be a whole number from 0 to 2147483647."
    assert messages[9] == f"{world.grid_b.code} already exists as a grid; it cannot become an area."
    assert snapshot() == before
    assert not Region.objects.filter(code="G1").exists()


def test_overlapping_grids_are_a_warning_and_still_import(world):
    inside_a = square(114.605, 33.605, 0.004)
    result = import_regions(
        collection(feature("G9", "重叠网格", "grid", world.area.code, inside_a)), actor=None
    )
    assert result.ok and result.created == ["G9"]
    [warning] = result.warnings
    assert (warning.number, warning.code, warning.field) == (1, "G9", "geometry")
    assert warning.message.startswith(f"Overlaps grid {world.grid_a.code} by about ")


def test_grids_touching_along_a_border_are_no_warning(world):
    east_of_b = square(114.62, 33.60)
    result = import_regions(
        collection(feature("G9", "东邻网格", "grid", world.area.code, east_of_b)), actor=None
    )
    assert result.ok and result.warnings == []


def test_a_dry_run_checks_but_writes_nothing(world):
    result = import_regions(
        collection(feature("A2", "第二片区", "area", world.street.code)), actor=None, dry_run=True
    )
    assert result.ok and result.created == ["A2"]
    assert not Region.objects.filter(code="A2").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json", "The file is not valid JSON (line 1, column 1)."),
        (b"[" * 100_000 + b"]" * 100_000, "The file is not valid JSON."),
        ("{}".encode("utf-16"), "The file is not UTF-8 text."),
        (json.dumps({"type": "Feature"}), "The file is not a GeoJSON FeatureCollection."),
        (json.dumps({"type": "FeatureCollection", "features": []}), "The file has no features."),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(data, message):
    [problem] = import_regions(data, actor=None).errors
    assert problem.number is None and problem.message.startswith(message)


def test_the_command_imports_a_file(tmp_path, capsys, world):
    path = tmp_path / "regions.geojson"
    path.write_text(collection(feature("A2", "第二片区", "area", world.street.code)), "utf-8")
    call_command("import-regions", str(path))
    assert "1 regions were created" in capsys.readouterr().out
    assert Region.objects.filter(code="A2").exists()


def test_the_command_prints_the_errors_and_fails_on_a_bad_file(tmp_path, capsys, world):
    path = tmp_path / "regions.geojson"
    path.write_text(collection(feature("A2", "第二片区", "area", "NOPE")), "utf-8")
    with pytest.raises(CommandError, match="1 error"):
        call_command("import-regions", str(path))
    assert "Unknown parent NOPE" in capsys.readouterr().out
    assert not Region.objects.filter(code="A2").exists()


def test_two_grids_of_one_file_overlapping_are_reported_on_the_later_one(world):
    result = import_regions(
        collection(
            feature("G8", "北网格", "grid", world.area.code, square(114.70, 33.70)),
            feature("G9", "南网格", "grid", world.area.code, square(114.70, 33.695)),
        ),
        actor=None,
    )
    assert result.ok
    assert [(w.number, w.code) for w in result.warnings] == [(2, "G9")]
    assert result.warnings[0].message.startswith("Overlaps grid G8 by about ")


@pytest.mark.parametrize("households", ["²", "12a", -1, 10**20, True])
def test_a_count_that_is_not_a_plain_number_is_reported_not_crashed_on(world, households):
    data = collection(feature("A2", "第二片区", "area", world.street.code, households=households))
    [problem] = import_regions(data, actor=None).errors
    assert (problem.code, problem.field) == ("A2", "households")
    assert problem.message.startswith("Must be a whole number from 0 to 2147483647")
    assert not Region.objects.filter(code="A2").exists()


def test_a_city_above_the_district_imports_and_a_district_hangs_under_it(world):
    data = collection(
        feature("411600", "周口市", "市"),
        feature(world.district.code, "川汇区", "district", "411600"),
        feature("411603", "淮阳区", 1, "411600"),
    )
    result = import_regions(data, actor=None)
    assert result.ok, result.problems
    city = Region.objects.get(code="411600")
    world.grid_a.refresh_from_db()
    assert city.level == Region.Level.CITY and city.parent is None
    assert world.grid_a.path.startswith(city.path)
    assert Region.objects.get(code="411603").parent == city


def test_a_district_office_imports_only_under_its_district(city):
    inside = collection(
        feature("411602001-02", "第二片区", "area", city.street.code),
    )
    assert import_regions(inside, actor=city.office.user).ok
    outside = collection(
        feature("411603001-02", "外区片区", "area", city.street2.code),
        feature(city.grid2.code, "改名", "grid", city.area2.code, square(114.88, 33.73)),
        feature("411699", "新区", "district", city.city.code),
    )
    before = snapshot()
    result = import_regions(outside, actor=city.office.user)
    assert [(p.code, p.field) for p in result.errors] == [
        ("411603001-02", "parent_code"),
        (city.grid2.code, "parent_code"),
        ("411699", "parent_code"),
    ]
    assert snapshot() == before
    assert import_regions(outside, actor=city.city_office.user).ok
