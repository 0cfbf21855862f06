"""The only way to fetch inspections and findings a user may see (检查可见范围).

- campaign office and inspectors: every inspection of their region scope (planning, filling,
  scores): one whose region or a site lies in it, or whose team they are on; the city office
  every inspection (civgrid/org/scope.py);
- responsible leader: completed inspections, and of those only the sites in the leader's grids:
  their checks, who visited them and when, their findings, and totals counted over them;
- unit clerk: no inspection plan (an unannounced visit stays unannounced), but the findings
  whose case is with their unit — through the ledger's scope, `cases_for_user`;
- grid worker and resident: nothing.
Out-of-scope objects answer 404.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.cases.queries import cases_for_user
from civgrid.inspections.models import Finding, Inspection, InspectionSite, Status
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, grid_ids_for_person, role_of
from civgrid.org.scope import scope_of
from civgrid.standards.models import Standard
from civgrid.territory.models import Region

PLANNERS = frozenset({Role.OFFICE, Role.INSPECTOR})
# Who may be on an inspection team: a failed check is registered and assigned by the team
# member who found it, and only these roles may take those transitions.
TEAM_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})
SCORE_READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})
FINDING_READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.UNIT_CLERK})


def can_plan(user: AnyUser | None) -> bool:
    return role_of(user) in PLANNERS


def inspections_for_user(user: AnyUser | None) -> QuerySet[Inspection]:
    role = role_of(user)
    inspections = Inspection.objects.all()
    if role in PLANNERS:
        scope = scope_of(user)
        if scope.is_everything:
            return inspections
        inside = InspectionSite.objects.filter(scope.q("site__grid")).values("inspection_id")
        uid: int = getattr(user, "pk", None) or 0
        on_team = Inspection.team.through.objects.filter(user_id=uid).values("inspection_id")
        return inspections.filter(
            Q(pk__in=inside) | (Q(region__isnull=False) & scope.q("region")) | Q(pk__in=on_team)
        )
    if role == Role.LEADER:
        return inspections.filter(status=Status.COMPLETED)
    return inspections.none()


def get_inspection_for_user(user: AnyUser | None, pk: int | str) -> Inspection:
    try:
        return (
            inspections_for_user(user)
            .select_related("framework", "region", "leader", "created_by")
            .get(pk=int(pk))
        )
    except (Inspection.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such inspection.")) from exc


def my_inspections(user: AnyUser | None) -> QuerySet[Inspection]:
    """Open inspections the user is on the team of (the phone's "my inspections")."""
    if user is None or not user.is_authenticated:
        return Inspection.objects.none()
    return (
        Inspection.objects.filter(team=user)
        .exclude(status=Status.COMPLETED)
        .select_related("framework")
        .distinct()
    )


def is_on_team(user: AnyUser | None, inspection: Inspection) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return inspection.team.filter(pk=user.pk).exists()


def get_inspection_site_for_user(
    user: AnyUser | None, inspection_pk: int | str, pk: int | str
) -> InspectionSite:
    """A site of an inspection, for those who may see the inspection."""
    inspection = get_inspection_for_user(user, inspection_pk)
    try:
        return (
            sites_for_user(user, inspection)
            .select_related("site__grid__parent", "inspection__framework", "visited_by")
            .get(pk=int(pk))
        )
    except (InspectionSite.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such site in this inspection.")) from exc


def grid_scope(user: AnyUser | None) -> set[int] | None:
    """The grids whose sites the user's scores cover: None for everything."""
    if role_of(user) in PLANNERS:
        scope = scope_of(user)
        if scope.is_everything:
            return None
        return set(scope.regions().filter(level=Region.Level.GRID).values_list("id", flat=True))
    person = get_person(user)
    if person is None:
        return set()
    grids = grid_ids_for_person(person)
    grids |= set(person.sites.values_list("grid_id", flat=True))
    return grids


def sites_for_user(user: AnyUser | None, inspection: Inspection) -> QuerySet[InspectionSite]:
    """The sites of an inspection the user may see: a leader's are those in their grids."""
    grids = grid_scope(user)
    rows = InspectionSite.objects.filter(inspection=inspection)
    return rows if grids is None else rows.filter(site__grid_id__in=grids)


def with_counts(inspections: QuerySet[Inspection], user: AnyUser | None) -> QuerySet[Inspection]:
    """`sites_total`, `sites_done` and `n_findings` of each inspection, counted over the sites
    the user may see (a leader's totals never reveal the rest of the round)."""
    grids = grid_scope(user)
    sites = None if grids is None else Q(sites__site__grid_id__in=grids)
    done = Q(sites__status=InspectionSite.State.DONE)
    findings = None if grids is None else Q(findings__site__grid_id__in=grids)
    return inspections.annotate(
        sites_total=Count("sites", filter=sites, distinct=True),
        sites_done=Count("sites", filter=done if sites is None else done & sites, distinct=True),
        n_findings=Count("findings", filter=findings, distinct=True),
    )


def findings_for_user(user: AnyUser | None) -> QuerySet[Finding]:
    """Findings whose case the user may see on the ledger; a leader's also lie at sites in
    their grids (a case may have moved, the site where it was found did not)."""
    role = role_of(user)
    if role not in FINDING_READERS:
        return Finding.objects.none()
    rows = Finding.objects.filter(case__in=cases_for_user(user))
    if role == Role.LEADER:
        rows = rows.filter(site__grid_id__in=grid_scope(user) or set())
    return rows


def applicable_standards(framework_id: int, kind: str) -> list[Standard]:
    """The framework's standards checked at a site of this kind (its `site_kinds` name the
    kind), in framework order: item, content, standard."""
    standards = (
        Standard.objects.filter(framework_id=framework_id)
        .select_related("content__item", "category", "lead_unit")
        .prefetch_related("questions")
        .order_by("content__item__order", "content__order", "order", "code")
    )
    # Filtered here, not in SQL: JSON containment differs between SQLite and PostgreSQL, and
    # a framework has a few hundred standards at most.
    return [s for s in standards if kind in (s.site_kinds or [])]
