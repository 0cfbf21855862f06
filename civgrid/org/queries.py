"""Who someone is in civgrid: their Person, their role, the grids they answer for."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q

from civgrid.org.models import Person, Role
from civgrid.territory.models import Region

AnyUser = User | AnonymousUser


def get_person(user: AnyUser | None) -> Person | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.person  # type: ignore[union-attr,no-any-return]
    except Person.DoesNotExist:
        return None


def role_of(user: AnyUser | None) -> str | None:
    """The user's role; a superuser without a Person acts as the campaign office."""
    person = get_person(user)
    if person is not None:
        return person.role
    if user is not None and user.is_authenticated and getattr(user, "is_superuser", False):
        return Role.OFFICE
    return None


def grid_ids_for_person(person: Person) -> set[int]:
    """The grids under the regions a person is assigned (a 片区 covers all its grids)."""
    paths = [r.path for r in person.regions.all()]
    if not paths:
        return set()
    query = Q()
    for path in paths:
        query |= Q(path__startswith=path)
    return set(Region.objects.filter(query, level=Region.Level.GRID).values_list("id", flat=True))
