"""The only ways to fetch appraisal data for a user (pages and API alike).

Schemes: the office, inspectors, responsible leaders and unit clerks read the schemes of the
whole city and of the districts in their scope (civgrid.org.scope); a scheme of another
district is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from civgrid.appraisals.models import Scheme
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
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


def tree(scheme: Scheme) -> list[tuple[object, list[tuple[object, list[object]]]]]:
    """[(dimension, [(criterion, [points])])] in order, in three queries."""
    dimensions = list(scheme.dimensions.prefetch_related("criteria__points"))
    return [(d, [(c, list(c.points.all())) for c in d.criteria.all()]) for d in dimensions]
