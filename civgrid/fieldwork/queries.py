"""The only way to fetch patrols a user may see (巡查可见范围).

- grid worker: their own patrols;
- campaign office and inspectors: every patrol through a grid of their region scope (a district
  office its district's, the city office every one), see civgrid/org/scope.py;
- responsible leader: patrols by the grid workers of their grids;
- unit clerks and residents: none.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.fieldwork.models import Patrol
from civgrid.org.models import Person, Role
from civgrid.org.queries import AnyUser, get_person, grid_ids_for_person, role_of
from civgrid.org.scope import scope_of
from civgrid.territory.models import Region

# Who sees other people's patrols (the office/leader list page).
OVERSIGHT_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER})


def patrols_for_user(user: AnyUser | None) -> QuerySet[Patrol]:
    role = role_of(user)
    patrols = Patrol.objects.all()
    if role in (Role.OFFICE, Role.INSPECTOR):
        scope = scope_of(user)
        if scope.is_everything:
            return patrols
        # A patrol belongs where its worker patrols: the grids they are assigned.
        in_scope = Person.objects.filter(role=Role.GRID_WORKER).filter(scope.q("regions"))
        return patrols.filter(worker_id__in=in_scope.values("user_id"))
    person = get_person(user)
    if person is None:
        return patrols.none()
    if role == Role.GRID_WORKER:
        return patrols.filter(worker_id=person.user_id)
    if role == Role.LEADER:
        grid_paths = list(
            Region.objects.filter(pk__in=grid_ids_for_person(person)).values_list("path", flat=True)
        )
        # A worker is the leader's when one of the worker's regions holds one of their grids.
        workers = [
            p.user_id
            for p in Person.objects.filter(role=Role.GRID_WORKER).prefetch_related("regions")
            if p.user_id is not None
            and any(g.startswith(r.path) for r in p.regions.all() for g in grid_paths)
        ]
        return patrols.filter(worker_id__in=workers)
    return patrols.none()


def get_patrol_for_user(user: AnyUser | None, pk: int | str) -> Patrol:
    try:
        return patrols_for_user(user).get(pk=int(pk))
    except (Patrol.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such patrol.")) from exc
