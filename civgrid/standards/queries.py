"""Who may read which part of the framework, and the responsibility map (责任清单) built from it.

Readers: the campaign office (which also manages editions), inspectors and responsible leaders
see every standard; a unit clerk sees the standards their unit leads or works on; grid workers
and residents see none (403 on pages, an empty scope in the API).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.org.models import Role, Unit
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import LISTS_SCOPED, scope_of, units_for
from civgrid.standards.excel import SITE_KIND_LABELS
from civgrid.standards.models import Content, Framework, Item, Standard, StandardCoUnit
from civgrid.territory.models import Region, Site

READER_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.UNIT_CLERK})
STANDARD_RELATED = ("content__item", "lead_unit", "category")


def can_read(user: AnyUser | None) -> bool:
    return role_of(user) in READER_ROLES


def can_manage(user: AnyUser | None) -> bool:
    """Only the campaign office imports editions and chooses the current one."""
    return role_of(user) == Role.OFFICE


def scoped_unit(user: AnyUser | None) -> Unit | None:
    """The unit a unit clerk is limited to; None for readers who see every standard."""
    if role_of(user) != Role.UNIT_CLERK:
        return None
    person = get_person(user)
    return person.unit if person is not None else None


def frameworks_for_user(user: AnyUser | None) -> QuerySet[Framework]:
    if not can_read(user):
        return Framework.objects.none()
    return Framework.objects.all()


def get_framework_for_user(user: AnyUser | None, code: str) -> Framework:
    framework = frameworks_for_user(user).filter(code=code).first()
    if framework is None:
        raise Http404(_("No such framework."))
    return framework


def current_framework_for_user(user: AnyUser | None) -> Framework | None:
    return frameworks_for_user(user).filter(is_current=True).first()


def unit_q(unit: Unit | int) -> Q:
    """Standards a unit answers for, as lead (牵头) or co-responsible (配合) unit."""
    return Q(lead_unit=unit) | Q(co_units=unit)


def standards_for_user(
    user: AnyUser | None, framework: Framework | None = None
) -> QuerySet[Standard]:
    """The standards the user may read (of one edition if given), in framework order."""
    role = role_of(user)
    standards = Standard.objects.all()
    if role not in READER_ROLES:
        return standards.none()
    if role == Role.UNIT_CLERK:
        unit = scoped_unit(user)
        if unit is None:
            return standards.none()
        # A subquery rather than a join: a unit both lead and co must not list a standard twice.
        standards = standards.filter(pk__in=Standard.objects.filter(unit_q(unit)).values("pk"))
    if framework is not None:
        standards = standards.filter(framework=framework)
    return standards.order_by(
        "framework", "content__item__order", "content__order", "order", "code"
    )


def get_standard_for_user(user: AnyUser | None, pk: int) -> Standard:
    standard = (
        standards_for_user(user)
        .select_related("framework", *STANDARD_RELATED)
        .filter(pk=pk)
        .first()
    )
    if standard is None:
        raise Http404(_("No such standard."))
    return standard


def with_details(standards: QuerySet[Standard]) -> QuerySet[Standard]:
    return standards.select_related(*STANDARD_RELATED).prefetch_related(
        "co_unit_links__unit", "questions"
    )


@dataclass
class ContentNode:
    content: Content
    standards: list[Standard] = field(default_factory=list)


@dataclass
class ItemNode:
    item: Item
    contents: list[ContentNode] = field(default_factory=list)

    @property
    def standard_count(self) -> int:
        return sum(len(c.standards) for c in self.contents)


def tree(standards: list[Standard]) -> list[ItemNode]:
    """Standards (in framework order) grouped as 项目 → 内容 → 标准."""
    items: dict[int, ItemNode] = {}
    contents: dict[int, ContentNode] = {}
    for standard in standards:
        content = standard.content
        item_node = items.get(content.item_id)
        if item_node is None:
            item_node = items[content.item_id] = ItemNode(content.item)
        content_node = contents.get(content.pk)
        if content_node is None:
            content_node = contents[content.pk] = ContentNode(content)
            item_node.contents.append(content_node)
        content_node.standards.append(standard)
    return list(items.values())


# --- the responsibility map ------------------------------------------------------------------


def sites_under(region: Region | None, user: AnyUser | None = None) -> QuerySet[Site]:
    """The sites under a region (all when None), inside the user's region scope when given."""
    sites = Site.objects.all()
    if user is not None and role_of(user) in LISTS_SCOPED:
        sites = scope_of(user).filter(sites)
    if region is not None:
        sites = sites.filter(grid__path__startswith=region.path)
    return sites


def site_counts(region: Region | None = None, user: AnyUser | None = None) -> dict[str, int]:
    """Number of sites of each kind in the territory (or under one region), in one query."""
    rows = sites_under(region, user).order_by().values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def sites_for_standard(
    standard: Standard, region: Region | None = None, user: AnyUser | None = None
) -> QuerySet[Site]:
    """The sites where a standard is checked: every site of its kinds (under a region)."""
    return (
        sites_under(region, user)
        .filter(kind__in=standard.site_kinds)
        .select_related("grid")
        .order_by("kind", "code")
    )


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    sites: int


@dataclass
class MapRow:
    """One standard on the map: who answers for it, at how many sites of each kind."""

    standard: Standard
    units: list[Unit]
    kinds: list[KindCount]

    @property
    def no_lead(self) -> bool:
        return self.standard.lead_unit_id is None

    @property
    def kinds_without_sites(self) -> list[KindCount]:
        return [k for k in self.kinds if k.sites == 0]

    @property
    def has_gap(self) -> bool:
        return self.no_lead or bool(self.kinds_without_sites)

    @property
    def sites(self) -> int:
        return sum(k.sites for k in self.kinds)


@dataclass(frozen=True)
class KindGap:
    """A kind of site some standard is checked at, with no site of that kind (盲区)."""

    kind: str
    label: str
    standards: tuple[str, ...]  # codes of the standards that need it


@dataclass
class ResponsibilityMap:
    framework: Framework
    region: Region | None
    unit: Unit | None
    rows: list[MapRow]
    standards_without_lead: list[Standard]
    kinds_without_sites: list[KindGap]
    units_without_standards: list[Unit]  # only computed over the whole map (no unit filter)

    @property
    def gap_count(self) -> int:
        return (
            len(self.standards_without_lead)
            + len(self.kinds_without_sites)
            + len(self.units_without_standards)
        )

    @property
    def groups(self) -> list[tuple[Item, list[tuple[Content, list[MapRow]]]]]:
        by_standard = {row.standard.pk: row for row in self.rows}
        return [
            (
                node.item,
                [(c.content, [by_standard[s.pk] for s in c.standards]) for c in node.contents],
            )
            for node in tree([row.standard for row in self.rows])
        ]


def responsibility_map(
    framework: Framework,
    *,
    user: AnyUser | None = None,
    region: Region | None = None,
    unit: Unit | None = None,
) -> ResponsibilityMap:
    """For every standard of an edition: its units, the sites where it is checked, and gaps.

    Gaps (the "no blind spot" rule): a standard with no lead unit; a site kind required by
    some standard with no site of that kind in the territory (or under `region`); and, over
    the whole map, an active unit that answers for no standard. `user` limits the rows to what
    they may read (a unit clerk: their unit's standards); None means everything.
    """
    standards: QuerySet[Standard] = (
        standards_for_user(user, framework) if user is not None else framework.standards.all()
    )
    if unit is not None:
        standards = standards.filter(pk__in=Standard.objects.filter(unit_q(unit)).values("pk"))
    standard_list = list(
        with_details(standards).order_by("content__item__order", "content__order", "order", "code")
    )
    counts = site_counts(region, user)
    rows: list[MapRow] = []
    needed: dict[str, list[str]] = {}
    for standard in standard_list:
        kinds = [
            KindCount(kind, SITE_KIND_LABELS.get(kind, kind), counts.get(kind, 0))
            for kind in standard.site_kinds
        ]
        for k in kinds:
            needed.setdefault(k.kind, []).append(standard.code)
        rows.append(MapRow(standard, standard.responsible_units(), kinds))
    kind_gaps = [
        KindGap(kind, SITE_KIND_LABELS.get(kind, kind), tuple(codes))
        for kind, codes in sorted(needed.items(), key=lambda kv: _kind_index(kv[0]))
        if counts.get(kind, 0) == 0
    ]
    idle_units: list[Unit] = []
    if unit is None and (user is None or role_of(user) != Role.UNIT_CLERK):
        busy = set(framework.standards.values_list("lead_unit", flat=True))
        busy.update(
            StandardCoUnit.objects.filter(standard__framework=framework).values_list(
                "unit_id", flat=True
            )
        )
        units = Unit.objects.all() if user is None else units_for(user)
        idle_units = list(units.filter(is_active=True).exclude(pk__in=busy - {None}))
    return ResponsibilityMap(
        framework=framework,
        region=region,
        unit=unit,
        rows=rows,
        standards_without_lead=[row.standard for row in rows if row.no_lead],
        kinds_without_sites=kind_gaps,
        units_without_standards=idle_units,
    )


def _kind_index(kind: str) -> int:
    values: list[Any] = list(Site.Kind.values)
    return values.index(kind) if kind in values else len(values)


def unit_choices_for_map(user: AnyUser | None) -> QuerySet[Unit]:
    unit = scoped_unit(user)
    if unit is not None:
        return Unit.objects.filter(pk=unit.pk)
    return units_for(user).filter(is_active=True)


def area_choices(user: AnyUser | None = None) -> QuerySet[Region]:
    """片区 and streets offered as map filters (those of the user's district when given)."""
    regions = Region.objects.filter(level__in=(Region.Level.STREET, Region.Level.AREA))
    if user is not None and role_of(user) in LISTS_SCOPED:
        regions = scope_of(user).filter(regions, "")
    return regions.order_by("path")
