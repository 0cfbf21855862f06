"""Region scope (辖区): the part of the region tree whose data a user may see and act on.

One installation serves a city's districts. Every record that lies somewhere in the territory
(a case's grid, a site, a household, an enterprise, a party branch…) is filtered through the
scope of the user who asks, so two districts' data never mix:

- campaign office and inspectors: the regions they are assigned (their district, or the city
  above several districts); with none assigned, the whole installation (the city office);
- grid workers and responsible leaders: the regions (grids, 片区) they are assigned;
- unit clerks: the district of their unit (the unit's own records are narrowed further by the
  app: a clerk handles their unit's cases, not the whole district's);
- residents and unknown users: nothing by region (they see only what they reported).

Apps ask `scope_of(user)` and filter with `scope.q("grid")` (any foreign key to a Region, at any
level) or check one region with `scope.covers(region)`. Role rules on top of the scope (who may
act) stay in each app's queries.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from civgrid.org.models import Person, Role, Unit
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.territory.models import Region

# Roles whose assigned regions are a whole district or city (not the grids they patrol).
DISTRICT_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})


@dataclass(frozen=True)
class Scope:
    """A set of subtrees of the region tree, by their materialized paths ("/1/4/").

    `paths is None` is the whole installation; an empty tuple is nothing.
    """

    paths: tuple[str, ...] | None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def nothing(cls) -> Scope:
        return cls(())

    @classmethod
    def of_regions(cls, regions: list[Region] | QuerySet[Region]) -> Scope:
        return cls(_minimal(sorted({r.path for r in regions if r.path})))

    @property
    def is_everything(self) -> bool:
        return self.paths is None

    @property
    def is_nothing(self) -> bool:
        return self.paths == ()

    def q(self, field: str = "grid") -> Q:
        """A filter for rows whose `field` (a Region foreign key, or "" for Region itself)
        lies inside the scope."""
        if self.paths is None:
            return Q()
        if not self.paths:
            return Q(pk__in=[])
        lookup = f"{field}__path__startswith" if field else "path__startswith"
        query = Q()
        for path in self.paths:
            query |= Q(**{lookup: path})
        return query

    def filter(self, queryset: QuerySet, field: str = "grid") -> QuerySet:  # type: ignore[type-arg]
        return queryset.filter(self.q(field))

    def regions(self) -> QuerySet[Region]:
        """Every region inside the scope (the scope's own roots included)."""
        return Region.objects.filter(self.q(""))

    def roots(self) -> QuerySet[Region]:
        """The regions the scope is made of (for a district office: its district)."""
        if self.paths is None:
            return Region.objects.filter(parent__isnull=True)
        return Region.objects.filter(path__in=self.paths)

    def covers(self, region: Region | None) -> bool:
        """Whether the region lies inside the scope (None, no region, only for everything)."""
        if self.paths is None:
            return True
        if region is None:
            return False
        return any(region.path.startswith(path) for path in self.paths)

    def covers_unit(self, unit: Unit | None) -> bool:
        """Whether a unit may work in this scope: a unit of the whole installation (no region),
        a unit of a region above the scope (the city's departments serve its districts) or
        one inside it."""
        if unit is None or unit.region is None or self.paths is None:
            return True
        region_path = unit.region.path
        return any(
            path.startswith(region_path) or region_path.startswith(path) for path in self.paths
        )

    def units(self) -> QuerySet[Unit]:
        """The units that may work in this scope (see covers_unit)."""
        units = Unit.objects.all()
        if self.paths is None:
            return units
        query = Q(region__isnull=True) | self.q("region")
        above = {int(part) for path in self.paths for part in path.strip("/").split("/") if part}
        if above:
            query |= Q(region_id__in=above)
        return units.filter(query)


def _minimal(paths: list[str]) -> tuple[str, ...]:
    """Drop paths inside another one of the list (sorted input)."""
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(kept)


def scope_of_person(person: Person) -> Scope:
    """The person's scope, kept on the instance for the rest of the request (a page asks for it
    several times: the ledger, its filters, the units offered); a change of role, unit or
    assigned regions recomputes it."""
    key = (person.role, person.unit_id)
    cached = person.__dict__.get("_region_scope")
    if cached is not None and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    scope = _scope_of_person(person)
    person.__dict__["_region_scope"] = (key, scope)
    return scope


@receiver(m2m_changed, sender=Person.regions.through, dispatch_uid="org.scope.forget")
def _forget_scope(instance: object, **kwargs: object) -> None:
    if isinstance(instance, Person):
        instance.__dict__.pop("_region_scope", None)


def _scope_of_person(person: Person) -> Scope:
    if person.role in DISTRICT_ROLES:
        regions = list(person.regions.all())
        return Scope.of_regions(regions) if regions else Scope.everything()
    if person.role in (Role.GRID_WORKER, Role.LEADER):
        return Scope.of_regions(list(person.regions.all()))
    if person.role == Role.UNIT_CLERK:
        unit = person.unit
        if unit is None or unit.region is None:
            return Scope.everything()
        return Scope.of_regions([unit.region])
    return Scope.nothing()


def scope_of(user: AnyUser | None) -> Scope:
    """The region scope of a signed-in user (see the module's docstring)."""
    person = get_person(user)
    if person is not None:
        return scope_of_person(person)
    if role_of(user) == Role.OFFICE:  # a superuser without a Person: the whole installation
        return Scope.everything()
    return Scope.nothing()


def district_choices(user: AnyUser | None) -> QuerySet[Region]:
    """The districts a user may pick (for a city office: all of them; a district office: its
    own), in code order, for filters and the "districts" grouping of indicators."""
    scope = scope_of(user)
    return scope.regions().filter(level=Region.Level.DISTRICT).order_by("code")


# Roles whose lists of places and units are narrowed to their scope. Grid workers, leaders and
# residents may report a problem anywhere, so the grids they are offered are every grid.
LISTS_SCOPED = frozenset({Role.OFFICE, Role.INSPECTOR, Role.UNIT_CLERK})


def grids_for(user: AnyUser | None) -> QuerySet[Region]:
    """The grids a user is offered in forms, maps and the API's grid list."""
    grids = Region.objects.filter(level=Region.Level.GRID)
    if role_of(user) not in LISTS_SCOPED:
        return grids
    return scope_of(user).filter(grids, "")


def units_for(user: AnyUser | None) -> QuerySet[Unit]:
    """The units a user is offered (see Scope.units): every unit for those without a region
    scope (residents), the units that may work in it for everyone else."""
    scope = scope_of(user)
    return Unit.objects.all() if scope.is_nothing else scope.units()
