"""The only way to fetch households and visits a user may see (走访可见范围).

- campaign office and inspectors: every household;
- responsible leader and grid worker: households in their grids (a 片区 covers its grids);
- unit clerks and residents: none.

Only the office, inspectors and a household's own grid worker see its phone number in full.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, grid_ids_for_person, role_of
from civgrid.territory.models import Region
from civgrid.visits.models import Household, Visit

SEE_ALL = (Role.OFFICE, Role.INSPECTOR)
# Who may open the visit pages at all.
VISIT_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.GRID_WORKER})
# Who may see coverage across grids and workers.
COVERAGE_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})


def grid_ids_for_user(user: AnyUser | None) -> set[int] | None:
    """The grids whose households the user sees; None means every grid."""
    role = role_of(user)
    if role in SEE_ALL:
        return None
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


def may_see_phone(user: AnyUser | None, household: Household) -> bool:
    role = role_of(user)
    if role in SEE_ALL:
        return True
    if role == Role.GRID_WORKER:
        person = get_person(user)
        return person is not None and household.grid_id in grid_ids_for_person(person)
    return False
