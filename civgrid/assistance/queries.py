"""The only way to fetch the rolls a user may see (救助名册可见范围), and how much of them.

The rolls are the most sensitive data in civgrid. What each role sees, always inside its
region scope (civgrid.org.scope, through the household's grid):

- 民政 (a clerk of the unit responsible for a programme): that programme's roll in full —
  amounts, masked ID and account numbers, and the full numbers on request, each request an
  event (`actions.reveal`); they approve, end and pay;
- the campaign office: every roll of its district with amounts, numbers masked;
- a community (a clerk of a village/community unit 村居, whose assigned regions are the
  community's territory): its residents' enrolments, ID numbers masked, no bank accounts;
  it proposes enrolments and ends;
- grid workers: no roll at all, only which households need a check visit (checks.py);
- everyone else (inspectors, leaders, other clerks, residents): nothing.
"""

from __future__ import annotations

import enum

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.assistance.models import Beneficiary, Programme
from civgrid.org.models import Person, Role, Unit
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import Scope, scope_of, scope_of_person
from civgrid.visits.models import Household

GRID_FIELD = "household__grid"


class Access(enum.IntEnum):
    """How much of an enrolment a user sees (higher sees more)."""

    NONE = 0
    COMMUNITY = 1  # enrolment, masked ID, amount; no bank account
    OFFICE = 2  # + masked bank account
    CIVIL_AFFAIRS = 3  # + full numbers on request (logged), approval, payment


def is_community(person: Person | None) -> bool:
    return (
        person is not None
        and person.role == Role.UNIT_CLERK
        and person.unit is not None
        and person.unit.kind == Unit.Kind.VILLAGE
    )


def community_scope(person: Person) -> Scope:
    """A community's territory: the regions assigned to its clerk, inside the unit's district."""
    regions = list(person.regions.all())
    if not regions:
        return Scope.nothing()
    district = scope_of_person(person)
    return Scope.of_regions([r for r in regions if district.covers(r)])


def civil_affairs_programme_ids(user: AnyUser | None) -> set[int]:
    """The programmes the user answers for as 民政 (a clerk of their responsible unit)."""
    person = get_person(user)
    if person is None or person.role != Role.UNIT_CLERK or person.unit_id is None:
        return set()
    return set(Programme.objects.filter(unit_id=person.unit_id).values_list("pk", flat=True))


def _visibility(user: AnyUser | None) -> Q | None:
    """The enrolments the user sees as a filter; None for none at all."""
    role = role_of(user)
    scope = scope_of(user)
    if role == Role.OFFICE:
        return scope.q(GRID_FIELD)
    person = get_person(user)
    if person is None or role != Role.UNIT_CLERK:
        return None
    query: Q | None = None
    programmes = civil_affairs_programme_ids(user)
    if programmes:
        query = scope.q(GRID_FIELD) & Q(programme_id__in=programmes)
    if is_community(person):
        own = community_scope(person)
        if not own.is_nothing:
            query = own.q(GRID_FIELD) if query is None else query | own.q(GRID_FIELD)
    return query


def beneficiaries_for_user(user: AnyUser | None) -> QuerySet[Beneficiary]:
    query = _visibility(user)
    if query is None:
        return Beneficiary.objects.none()
    return Beneficiary.objects.filter(query)


def get_beneficiary_for_user(user: AnyUser | None, pk: int | str) -> Beneficiary:
    """The enrolment if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return (
            beneficiaries_for_user(user)
            .select_related("programme", "household__grid")
            .get(pk=int(pk))
        )
    except (Beneficiary.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such beneficiary.")) from exc


def access_to(user: AnyUser | None, beneficiary: Beneficiary) -> Access:
    """How much of this enrolment the user sees (NONE when outside their view)."""
    if not beneficiaries_for_user(user).filter(pk=beneficiary.pk).exists():
        return Access.NONE
    if beneficiary.programme_id in civil_affairs_programme_ids(user):
        return Access.CIVIL_AFFAIRS
    if role_of(user) == Role.OFFICE:
        return Access.OFFICE
    return Access.COMMUNITY


def programmes_for_user(user: AnyUser | None) -> QuerySet[Programme]:
    """Programmes whose rolls the user sees (民政: their own; office and communities: all the
    programmes that may work in their scope)."""
    role = role_of(user)
    person = get_person(user)
    if role == Role.OFFICE or is_community(person):
        units = scope_of(user).units()
        return Programme.objects.filter(unit__in=units)
    ids = civil_affairs_programme_ids(user)
    return Programme.objects.filter(pk__in=ids)


def may_propose_for(user: AnyUser | None, programme: Programme, household: Household) -> bool:
    """A community for its residents, or 民政 for its programme inside its scope."""
    person = get_person(user)
    if person is None or not household.is_active:
        return False
    if programme.pk in civil_affairs_programme_ids(user):
        return scope_of(user).covers(household.grid)
    if is_community(person):
        return community_scope(person).covers(household.grid) and scope_of(user).covers_unit(
            programme.unit
        )
    return False


def may_decide(user: AnyUser | None, beneficiary: Beneficiary) -> bool:
    """民政 of the programme, with the household inside its scope, approves and ends."""
    return beneficiary.programme_id in civil_affairs_programme_ids(user) and scope_of(user).covers(
        beneficiary.household.grid
    )


def civil_affairs_users(beneficiary: Beneficiary) -> list[User]:
    """The 民政 clerks who decide on this enrolment (for notices)."""
    clerks = Person.objects.filter(
        role=Role.UNIT_CLERK, unit_id=beneficiary.programme.unit_id, user__isnull=False
    ).select_related("user", "unit__region")
    grid = beneficiary.household.grid
    return [p.user for p in clerks if p.user is not None and scope_of_person(p).covers(grid)]
