"""The only way to fetch cases a user may see (案件可见范围).

Pages and the API both go through these functions, so scope lives in one place:
- campaign office and inspectors: every case in their region scope (civgrid/org/scope.py): a
  district office its district's cases, the city office (no region) every district's;
- responsible leader: cases in the grids (or 片区) and sites they contract;
- unit clerk: cases currently with their unit;
- grid worker: cases in their grids;
- resident: cases they reported; and everyone sees what they reported themselves.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.cases import deadlines
from civgrid.cases.models import Case
from civgrid.cases.workflow import CLOSED_VALUES
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, grid_ids_for_person, role_of
from civgrid.org.scope import Scope, scope_of


def in_scope_q(scope: Scope) -> Q:
    """Cases lying inside a region scope. Every case has a grid (report_case refuses one
    without: a grid, a site or coordinates inside a grid), so the grid decides its district;
    a case without a grid (none is written today) is seen only by the whole installation."""
    return scope.q("grid")


def cases_for_user(user: AnyUser | None) -> QuerySet[Case]:
    role = role_of(user)
    cases = Case.objects.all()
    if role in (Role.OFFICE, Role.INSPECTOR):
        scope = scope_of(user)
        if scope.is_everything:
            return cases
        return cases.filter(in_scope_q(scope) | Q(reporter=user))
    person = get_person(user)
    if person is None or role is None:
        return cases.none()
    # Everyone sees what they reported themselves, wherever it was.
    own = Q(reporter=user)
    if role == Role.LEADER:
        return cases.filter(
            own
            | Q(grid_id__in=grid_ids_for_person(person))
            | Q(site_id__in=person.sites.values_list("id", flat=True))
        )
    if role == Role.GRID_WORKER:
        return cases.filter(own | Q(grid_id__in=grid_ids_for_person(person)))
    if role == Role.UNIT_CLERK:
        return (
            cases.filter(own | Q(unit_id=person.unit_id)) if person.unit_id else cases.filter(own)
        )
    return cases.filter(own)


CASE_RELATED = ("category", "grid", "grid__parent", "site", "unit", "reporter", "duplicate_of")


def get_case_for_user(user: AnyUser | None, pk: int | str) -> Case:
    """The case if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return cases_for_user(user).select_related(*CASE_RELATED).get(pk=int(pk))
    except (Case.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such case.")) from exc


def get_case_by_code_for_user(user: AnyUser | None, code: str) -> Case:
    try:
        return (
            cases_for_user(user)
            .select_related(*CASE_RELATED)
            .get(tracking_code=code.strip().upper())
        )
    except Case.DoesNotExist as exc:
        raise Http404(_("No such case.")) from exc


def can_see(user: AnyUser | None, case: Case) -> bool:
    if role_of(user) in (Role.OFFICE, Role.INSPECTOR):
        # Decided from the case's grid: spare the query on the hottest path of actions.
        scope = scope_of(user)
        if scope.is_everything:
            return True
        return scope.covers(case.grid) or (
            case.reporter_id is not None and user is not None and case.reporter_id == user.pk
        )
    return cases_for_user(user).filter(pk=case.pk).exists()


def visible_original(user: AnyUser | None, case: Case) -> Case | None:
    """The original of a duplicate when the user may see it, else None: a duplicate in the
    reader's scope must not reveal the code or link of a case outside it."""
    if case.duplicate_of_id is None:
        return None
    return cases_for_user(user).filter(pk=case.duplicate_of_id).first()


def overdue_q(now: dt.datetime) -> Q:
    """The database form of Case.is_overdue: a passed deadline on a case that is not closed.

    Served by the partial index case_open_due_idx: the statuses are written into the SQL as the
    index's condition is (see civgrid/cases/lookups.py), so SQLite can match the two.
    """
    return Q(due_at__lte=now) & ~Q(status__in_constants=CLOSED_VALUES)


def due_soon_q(now: dt.datetime) -> Q:
    """Due soon (临期): an open case whose deadline has not passed yet but will have by the end
    of the next working day (civgrid.cases.deadlines.due_soon_until)."""
    return Q(due_at__gt=now, due_at__lte=deadlines.due_soon_until(now)) & ~Q(
        status__in_constants=CLOSED_VALUES
    )


def may_see_full_phone(user: AnyUser | None, case: Case) -> bool:
    """The reporter's number in full: the office, inspectors, and the unit handling the case.

    Everyone else (lists included) sees it masked, see Case.masked_phone.
    """
    role = role_of(user)
    if role in (Role.OFFICE, Role.INSPECTOR):
        return scope_of(user).covers(case.grid)
    if role == Role.UNIT_CLERK and case.unit_id is not None:
        person = get_person(user)
        return person is not None and person.unit_id == case.unit_id
    return False
