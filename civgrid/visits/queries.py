"""The only way to fetch households and visits a user may see (走访可见范围).

- campaign office and inspectors: every household of their region scope (a district office its
  district's, the city office every one), see civgrid/org/scope.py;
- responsible leader and grid worker: households in their grids (a 片区 covers its grids);
- unit clerks and residents: none.

Only the office, inspectors and a household's own grid worker see its phone number in full.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.org.models import Person, Role
from civgrid.org.queries import AnyUser, get_person, grid_ids_for_person, role_of
from civgrid.org.scope import scope_of
from civgrid.territory.models import Region
from civgrid.visits import plans
from civgrid.visits.models import Household, Visit, VisitPlan

SEE_ALL = (Role.OFFICE, Role.INSPECTOR)
# Who may open the visit pages at all.
VISIT_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.GRID_WORKER})
# Who may see coverage across grids and workers.
COVERAGE_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})


def grid_ids_for_user(user: AnyUser | None) -> set[int] | None:
    """The grids whose households the user sees; None means every grid."""
    role = role_of(user)
    if role in SEE_ALL:
        scope = scope_of(user)
        if scope.is_everything:
            return None
        return set(scope.regions().filter(level=Region.Level.GRID).values_list("id", flat=True))
    person = get_person(user)
    if person is None or role not in (Role.LEADER, Role.GRID_WORKER):
        return set()
    return grid_ids_for_person(person)


def households_for_user(user: AnyUser | None) -> QuerySet[Household]:
    grids = grid_ids_for_user(user)
    households = Household.objects.all()
    return households if grids is None else households.filter(grid_id__in=grids)


def get_household_for_user(user: AnyUser | None, pk: int | str) -> Household:
    """The household if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return households_for_user(user).select_related("grid__parent").get(pk=int(pk))
    except (Household.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such household.")) from exc


def visits_for_user(user: AnyUser | None) -> QuerySet[Visit]:
    grids = grid_ids_for_user(user)
    visits = Visit.objects.all()
    return visits if grids is None else visits.filter(household__grid_id__in=grids)


def grids_for_user(user: AnyUser | None) -> QuerySet[Region]:
    grids = grid_ids_for_user(user)
    qs = Region.objects.filter(level=Region.Level.GRID)
    return qs if grids is None else qs.filter(pk__in=grids)


def get_worker_for_user(user: AnyUser | None, pk: int | str) -> Person:
    """A grid worker the user may name: one with a grid among the user's grids (everyone for
    the office and inspectors); otherwise 404, so an id never reveals a name."""
    grids = grid_ids_for_user(user)
    try:
        person = Person.objects.get(pk=int(pk), role=Role.GRID_WORKER)
    except (Person.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such grid worker.")) from exc
    if grids is not None and not grids & grid_ids_for_person(person):
        raise Http404(_("No such grid worker."))
    return person


def due_summary(user: AnyUser | None, today: dt.date) -> dict[str, int]:
    """Households due this period in the user's grids, for the phone home page."""
    if role_of(user) not in VISIT_ROLES:
        return {"due": 0}
    scope = households_for_user(user)
    due = 0
    for plan in VisitPlan.objects.filter(is_active=True, active_from__lte=today):
        due += len(plans.due(plan, today, scope))
    return {"due": due}


def may_see_phone(user: AnyUser | None, household: Household) -> bool:
    role = role_of(user)
    if role in SEE_ALL:
        return scope_of(user).covers(household.grid)
    if role == Role.GRID_WORKER:
        person = get_person(user)
        return person is not None and household.grid_id in grid_ids_for_person(person)
    return False
