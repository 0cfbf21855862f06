"""The only ways to fetch appraisal data for a user (pages and API alike).

Schemes: the office, inspectors, responsible leaders and unit clerks read the schemes of the
whole city and of the districts in their scope (civgrid.org.scope); a scheme of another
district is a 404.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from civgrid.appraisals.models import (
    Criterion,
    Cycle,
    Dimension,
    Enrolment,
    PartyBranch,
    ReviewLevel,
    Scheme,
    ScoringPoint,
)
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import scope_of

READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.UNIT_CLERK})


def can_read(user: AnyUser | None) -> bool:
    return role_of(user) in READERS


def schemes_for_user(user: AnyUser | None) -> QuerySet[Scheme]:
    if not can_read(user):
        return Scheme.objects.none()
    scope = scope_of(user)
    if scope.is_everything:
        return Scheme.objects.all()
    return Scheme.objects.filter(Q(region__isnull=True) | scope.q("region"))


def get_scheme_for_user(user: AnyUser | None, code: str, version: int) -> Scheme:
    try:
        return schemes_for_user(user).select_related("region").get(code=code, version=version)
    except Scheme.DoesNotExist:
        raise Http404("no such scheme") from None


def tree(scheme: Scheme) -> list[tuple[Dimension, list[tuple[Criterion, list[ScoringPoint]]]]]:
    """[(dimension, [(criterion, [points])])] in order, in three queries."""
    dimensions = list(scheme.dimensions.prefetch_related("criteria__points"))
    return [(d, [(c, list(c.points.all())) for c in d.criteria.all()]) for d in dimensions]


# --- party branches ----------------------------------------------------------------------

BRANCH_READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.UNIT_CLERK})


def branches_for_user(user: AnyUser | None) -> QuerySet[PartyBranch]:
    """The office, inspectors and leaders: the branches in their region scope; a unit clerk:
    the branches of their unit and those their unit reviews (上级审查); others: none."""
    role = role_of(user)
    if role not in BRANCH_READERS:
        return PartyBranch.objects.none()
    branches = PartyBranch.objects.all()
    if role == Role.UNIT_CLERK:
        person = get_person(user)
        unit_id = person.unit_id if person is not None else None
        if unit_id is None:
            return PartyBranch.objects.none()
        return branches.filter(Q(unit_id=unit_id) | Q(parent_unit_id=unit_id))
    return branches.filter(scope_of(user).q("region"))


def get_branch_for_user(user: AnyUser | None, pk: int) -> PartyBranch:
    try:
        return branches_for_user(user).select_related("region", "unit", "parent_unit").get(pk=pk)
    except PartyBranch.DoesNotExist:
        raise Http404("no such branch") from None


def counts_by_kind(branches: QuerySet[PartyBranch]) -> list[tuple[str, str, int]]:
    """(kind, label, count) for every kind, in the register's order (the seed's 17/3/18/3)."""
    counts = dict(
        branches.filter(is_active=True).values_list("kind").annotate(n=Count("pk")).order_by()
    )
    return [(kind, str(label), counts.get(kind, 0)) for kind, label in PartyBranch.Kind.choices]


# --- cycles and files -------------------------------------------------------------------

REGION_READERS = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})


def enrolments_for_user(user: AnyUser | None) -> QuerySet[Enrolment]:
    """The office, inspectors and leaders: every file in their region scope. Anyone else:
    the files of the branches they fill, of the branches their unit reviews (as parent or
    as a level's named unit), and of the cycles whose acceptance group they sit in — never a
    branch of their own unit there."""
    role = role_of(user)
    if role in REGION_READERS:
        return Enrolment.objects.filter(scope_of(user).q("branch__region"))
    person = get_person(user)
    if person is None:
        return Enrolment.objects.none()
    query = Q(branch__fillers=person)
    panel = Q(cycle__evaluators__person=person)
    if person.unit_id is not None:
        if role == Role.UNIT_CLERK:
            query |= Q(branch__parent_unit_id=person.unit_id)
            query |= Q(cycle__scheme__levels__unit_id=person.unit_id)
        panel &= ~Q(branch__unit_id=person.unit_id)
    ids = Enrolment.objects.filter(query | panel).values("pk")
    return Enrolment.objects.filter(pk__in=ids)


def get_enrolment_for_user(user: AnyUser | None, pk: int) -> Enrolment:
    try:
        return (
            enrolments_for_user(user)
            .select_related("cycle__scheme", "cycle__region", "branch__region", "branch__unit")
            .get(pk=pk)
        )
    except Enrolment.DoesNotExist:
        raise Http404("no such file") from None


def cycles_for_user(user: AnyUser | None) -> QuerySet[Cycle]:
    if role_of(user) in REGION_READERS:
        scope = scope_of(user)
        if scope.is_everything:
            return Cycle.objects.all()
        return Cycle.objects.filter(Q(region__isnull=True) | scope.q("region"))
    return Cycle.objects.filter(pk__in=enrolments_for_user(user).values("cycle_id"))


def get_cycle_for_user(user: AnyUser | None, pk: int) -> Cycle:
    try:
        return cycles_for_user(user).select_related("scheme", "region").get(pk=pk)
    except Cycle.DoesNotExist:
        raise Http404("no such cycle") from None


def files_waiting_for(user: AnyUser | None) -> QuerySet[Enrolment]:
    """The files whose current level is this user's to do (the start page's 待办): the branch's
    self-assessment for its fillers, a review for the clerks of the reviewing unit, acceptance
    for the cycle's evaluators (never a branch of their own unit), an office level for the
    office. The same rules as cycles.check_actor, as one query."""
    person = get_person(user)
    role = role_of(user)
    if person is None:
        return Enrolment.objects.none()

    def at_level(by: str, **extra: object) -> Exists:
        return Exists(
            ReviewLevel.objects.filter(
                scheme_id=OuterRef("cycle__scheme_id"), order=OuterRef("level"), by=by, **extra
            )
        )

    query = Q(at_level(ReviewLevel.By.SUBJECT), branch__fillers=person)
    if role == Role.UNIT_CLERK and person.unit_id is not None:
        query |= Q(at_level(ReviewLevel.By.PARENT), branch__parent_unit_id=person.unit_id)
        query |= Q(at_level(ReviewLevel.By.UNIT, unit_id=person.unit_id))
    panel = Q(at_level(ReviewLevel.By.PANEL), cycle__evaluators__person=person)
    if person.unit_id is not None:
        panel &= ~Q(branch__unit_id=person.unit_id)
    query |= panel
    if role == Role.OFFICE:
        query |= Q(at_level(ReviewLevel.By.OFFICE)) & scope_of(user).q("branch__region")
    ids = Enrolment.objects.filter(
        query,
        cycle__status=Cycle.Status.OPEN,
        status__in=[Enrolment.Status.FILLING, Enrolment.Status.REVIEW],
    ).values("pk")
    return Enrolment.objects.filter(pk__in=ids)
