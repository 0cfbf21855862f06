"""Where a case action may reach (辖区): the region-scope checks of civgrid.cases.actions.

Seeing a case is decided by civgrid.cases.queries (a district office sees its district's
cases); these are the checks on what an action points at: the grid a case is moved to, the unit
it is assigned to, the district it is sent down to. Each raises InvalidInput naming the field,
before anything is written.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput
from civgrid.cases.models import Case
from civgrid.org.models import Unit
from civgrid.org.scope import Scope, district_choices, scope_of
from civgrid.territory.models import Region


def check_grid_in_scope(actor: User, region: Region, field: str = "grid") -> None:
    """A case may be moved only to a place inside the actor's region scope."""
    if not scope_of(actor).covers(region):
        raise InvalidInput(
            _("%(region)s lies outside your district.") % {"region": region.name}, field
        )


def unit_may_handle(case: Case, unit: Unit) -> bool:
    """A unit of the case's district, of the city above it, or of the whole installation:
    never another district's unit."""
    return case.grid is None or Scope.of_regions([case.grid]).covers_unit(unit)


def check_unit_for_case(actor: User, case: Case, unit: Unit) -> None:
    if not (scope_of(actor).covers_unit(unit) and unit_may_handle(case, unit)):
        raise InvalidInput(
            _("%(unit)s does not work in the district of this case.") % {"unit": unit.name},
            "unit",
        )


def send_down_refusal(actor: User) -> str | None:
    """Only an office above several districts (the city office) sends cases down (下派)."""
    if district_choices(actor).count() < 2:
        return _("Only the city office sends cases down to a district.")
    return None
