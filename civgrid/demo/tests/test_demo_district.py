import datetime as dt
import io
from collections import Counter

import shapely
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import TestCase

from civgrid.cases.models import Case, CaseEvent, Category
from civgrid.cases.workflow import Status
from civgrid.demo.actions import build_demo, window_end
from civgrid.demo.district import DEMO_PASSWORD
from civgrid.lib.geometry import GridLocator, parse_polygon
from civgrid.org.models import Person, Role, Unit
from civgrid.safety import demo as safety_demo
from civgrid.territory.models import Region, Site
from civgrid.territory.queries import grids, locate_grid

TODAY = dt.date(2026, 3, 2)


class DemoDistrictTests(TestCase):
    """One small demo (30 cases) shared by every test of the class."""

    @classmethod
    def setUpTestData(cls):
        build_demo(seed=2026, n_cases=30, today=TODAY)

    def grid_shapes(self):
        return {g.code: parse_polygon(g.geometry) for g in grids().order_by("code")}

    def chuanhui(self):
        return Region.objects.filter(path__startswith=Region.objects.get(code="411602").path)

    def test_the_street_has_13_areas_326_grids_and_238_grid_workers(self):
        levels = dict(self.chuanhui().values_list("level").annotate(n=Count("id")))
        assert levels == {1: 1, 2: 1, 3: 13, 4: 326}
        street = Region.objects.get(code="411602001")
        assert (street.name, street.parent.name, street.parent.code) == (
            "七一路街道",
            "川汇区",
            "411602",
        )
        workers = Person.objects.filter(role=Role.GRID_WORKER, user__username__regex=r"^worker\d")
        assert workers.count() == 238

    def test_every_grid_has_exactly_one_grid_worker_who_covers_one_or_two_neighbouring_grids(self):
        shapes = {g.pk: parse_polygon(g.geometry) for g in grids()}
        workers_per_grid = Counter()
        for worker in Person.objects.filter(role=Role.GRID_WORKER).prefetch_related("regions"):
            beat = list(worker.regions.all())
            assert len(beat) in (1, 2)
            assert all(g.level == Region.Level.GRID for g in beat)
            if len(beat) == 2:
                assert shapes[beat[0].pk].intersection(shapes[beat[1].pk]).length > 0
                assert beat[0].parent_id == beat[1].parent_id
            workers_per_grid.update(g.pk for g in beat)
        assert set(workers_per_grid.values()) == {1} and len(workers_per_grid) == 326 + 6

    def test_grids_have_about_300_residents_each(self):
        residents = list(
            self.chuanhui().filter(level=Region.Level.GRID).values_list("residents", flat=True)
        )
        assert 280 <= sum(residents) / len(residents) <= 320
        street = Region.objects.get(code="411602001")
        assert street.residents == sum(residents)

    def test_every_grid_polygon_is_valid_and_no_two_grids_overlap(self):
        shapes = list(self.grid_shapes().values())
        assert all(s.is_valid and s.geom_type == "Polygon" for s in shapes)
        tree = shapely.STRtree(shapes)
        left, right = tree.query(shapes, predicate="intersects")
        overlap = max(
            shapes[i].intersection(shapes[j]).area
            for i, j in zip(left, right, strict=True)
            if i < j
        )
        assert overlap < 1e-12  # square degrees: well under a square centimetre

    def test_the_grids_cover_the_street_and_each_area_is_its_grids(self):
        street = Region.objects.get(code="411602001")
        street_shape = parse_polygon(street.geometry)
        union = shapely.union_all(
            [parse_polygon(g.geometry) for g in grids().filter(path__startswith=street.path)]
        )
        assert street_shape.symmetric_difference(union).area < 1e-9 * street_shape.area
        lon0, lat0, lon1, lat1 = street_shape.bounds
        assert 114.57 < lon0 < lon1 < 114.65 and 33.58 < lat0 < lat1 < 33.64
        for area in self.chuanhui().filter(level=Region.Level.AREA):
            shape = parse_polygon(area.geometry)
            assert shape.geom_type == "Polygon"  # one contiguous piece
            members = [parse_polygon(g.geometry) for g in grids().filter(parent=area)]
            assert 15 <= len(members) <= 40
            assert shape.symmetric_difference(shapely.union_all(members)).area < 1e-9 * shape.area

    def test_a_point_inside_a_grid_locates_to_that_grid(self):
        for grid in grids().order_by("code")[::37]:
            point = parse_polygon(grid.geometry).representative_point()
            assert locate_grid(point.x, point.y) == grid

    def test_a_point_outside_the_street_locates_to_no_grid(self):
        street = parse_polygon(Region.objects.get(code="411602001").geometry)
        lon0, lat0, lon1, lat1 = street.bounds
        assert locate_grid(lon1 + 0.001, (lat0 + lat1) / 2) is None
        assert locate_grid(114.50, 33.50) is None

    def test_every_site_lies_inside_its_grid_and_every_kind_of_site_exists(self):
        locator = GridLocator.build((g.pk, parse_polygon(g.geometry)) for g in grids())
        sites = list(Site.objects.values_list("grid_id", "longitude", "latitude", "kind"))
        assert len(sites) > 2000
        assert all(locator.locate(lon, lat) == grid_id for grid_id, lon, lat, _k in sites)
        assert {kind for *_x, kind in sites} == set(Site.Kind.values)

    def test_units_people_and_categories_are_in_place(self):
        assert Unit.objects.count() == 20 + 3  # 川汇区's (and the city's utilities), 淮阳区's
        assert set(Unit.objects.values_list("kind", flat=True)) == set(Unit.Kind.values)
        roles = dict(Person.objects.values_list("role").annotate(n=Count("id")))
        # the city office, 川汇区's and 淮阳区's; two inspectors of 川汇区, one of 淮阳区
        assert roles[Role.OFFICE] == 3 and roles[Role.INSPECTOR] == 3 and roles[Role.LEADER] == 13
        # Every unit has its clerk (apps' demos may add more, e.g. party-branch liaisons).
        clerk_units = set(
            Person.objects.filter(role=Role.UNIT_CLERK).values_list("unit", flat=True)
        )
        assert clerk_units == set(Unit.objects.values_list("pk", flat=True))
        assert roles[Role.RESIDENT] >= 3
        for leader in Person.objects.filter(role=Role.LEADER):
            assert [r.level for r in leader.regions.all()] == [Region.Level.AREA]
        # The district's catalogue, and the hidden-danger categories of the safety demo.
        assert Category.objects.count() == 15 + len(safety_demo.CATEGORIES)
        assert all(
            c.deadline_rules.count() == 3 and c.default_unit_id for c in Category.objects.all()
        )

    def test_every_case_status_appears(self):
        # The 30 simulated cases; the mock-evaluation rounds add their findings' cases beside them.
        simulated = Case.objects.filter(
            finding__isnull=True,
            safety_hazard__isnull=True,
            grid__path__startswith=self.chuanhui().get(level=1).path,
        )
        assert simulated.count() == 30
        assert set(simulated.values_list("status", flat=True)) == set(Status.values)
        assert Case.objects.filter(finding__isnull=False).exists()

    def test_every_case_was_written_by_the_actions_at_past_moments(self):
        end = window_end(TODAY)
        for case in Case.objects.prefetch_related("events"):
            events = list(case.events.all())
            assert events[0].action == "report" and events[0].created_at == case.created_at
            # Each action after the report bumps the version once and writes one event.
            assert case.version == len(events)
            moved = [e for e in events if e.changed_status]
            assert moved[-1].to_status == case.status
            assert all(end - dt.timedelta(days=95) < e.created_at < end for e in events)
            assert [e.created_at for e in events] == sorted(e.created_at for e in events)
        assert CaseEvent.objects.filter(action="fix_on_spot").exists()

    def test_demo_logins_lists_easy_usernames_with_the_demo_password(self):
        out = io.StringIO()
        call_command("demo-logins", stdout=out)
        text = out.getvalue()
        for username in (
            "city-office",
            "office",
            "office-hy",
            "inspector",
            "leader01",
            "clerk-cgj",
            "worker001",
            "resident01",
        ):
            assert f"\n{username} " in text
        assert "市创建办（看全部区" in text and "淮阳区创建办" in text
        assert DEMO_PASSWORD in text and "城市管理局联络员" in text
        out = io.StringIO()
        call_command("demo-logins", "--all", stdout=out)
        assert "worker238" in out.getvalue()

    def test_demo_data_if_empty_leaves_an_existing_district_alone(self):
        out = io.StringIO()
        call_command("demo-data", "--if-empty", stdout=out)
        assert "demo data not built" in out.getvalue()
        with self.assertRaises(CommandError):
            call_command("demo-data", stdout=io.StringIO())
        assert (
            Case.objects.filter(finding__isnull=True, safety_hazard__isnull=True).count() >= 30 + 12
        )

    def test_a_city_holds_two_districts_whose_offices_see_only_their_own(self):
        from civgrid.cases.queries import cases_for_user

        city = Region.objects.get(level=Region.Level.CITY)
        assert city.name == "周口市"
        districts = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code")
        assert [(d.name, d.parent_id) for d in districts] == [
            ("川汇区", city.pk),
            ("淮阳区", city.pk),
        ]
        office = Person.objects.get(user__username="office").user
        office_hy = Person.objects.get(user__username="office-hy").user
        city_office = Person.objects.get(user__username="city-office").user
        ours, theirs = cases_for_user(office), cases_for_user(office_hy)
        assert theirs.count() >= 12 and ours.count() >= 30
        assert not ours.filter(pk__in=theirs).exists()
        assert cases_for_user(city_office).count() == Case.objects.count()
        assert set(
            Unit.objects.filter(name="城市管理局").values_list("region__name", flat=True)
        ) == {
            "川汇区",
            "淮阳区",
        }
        assert Case.objects.filter(
            grid__path__startswith=districts[1].path, status=Status.CLOSED
        ).exists()
