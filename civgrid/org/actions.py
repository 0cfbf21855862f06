"""Every change to the organisation: importing units, people and their assignments."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civgrid.lib.importing import ImportOutcome
from civgrid.org.imports import PeoplePlan, Problem, load_workbook, validate_people
from civgrid.org.models import Person, Role, Unit
from civgrid.org.queries import AnyUser
from civgrid.territory.models import Region, Site

log = logging.getLogger(__name__)


@dataclass
class PeopleImportResult(ImportOutcome):
    units_created: list[str] = field(default_factory=list)
    units_updated: list[str] = field(default_factory=list)
    people_created: list[str] = field(default_factory=list)
    people_updated: list[str] = field(default_factory=list)
    # Things the importer should tell a person, e.g. accounts that cannot log in yet.
    notices: list[str] = field(default_factory=list)


def import_people(
    data: bytes | Any, *, actor: AnyUser | None, dry_run: bool = False
) -> PeopleImportResult:
    """Create or update units and people (with their grids, sites and unit) from a workbook.

    All or nothing: every row is checked first; with any error nothing is written and the
    result lists every problem by sheet and row. `data` is the .xlsx bytes (or an openpyxl
    workbook); `actor` is who imports (None for the command line).
    """
    if isinstance(data, bytes | bytearray):
        workbook, problem = load_workbook(bytes(data))
        if problem is not None:
            return PeopleImportResult(problems=[problem], dry_run=dry_run)
    else:
        workbook = data
    from civgrid.org.scope import scope_of

    # A district office imports under its district; the command line and the city office
    # anywhere.
    plan = validate_people(workbook, scope_of(actor) if actor is not None else None)
    result = PeopleImportResult(problems=plan.problems, dry_run=dry_run)
    if plan.errors:
        return result
    try:
        with transaction.atomic():
            _write(plan, result)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:  # e.g. two units swapping names in one file
        result.problems.append(
            Problem(
                "", None, "", "", _("The database refused the import: %(error)s") % {"error": exc}
            )
        )
        return result
    if not dry_run:
        log.info(
            "people imported by %s: %d units, %d people created",
            actor.get_username() if actor else "command line",
            len(result.units_created),
            len(result.people_created),
        )
    return result


def _write(plan: PeoplePlan, result: PeopleImportResult) -> None:
    units = {
        u.code: u
        for u in Unit.objects.select_for_update().filter(
            code__in=[r.code for r in plan.units]
            + [p.unit_code for p in plan.people if p.unit_code]
        )
    }
    for row in plan.units:
        unit = units.get(row.code)
        if unit is None:
            unit = Unit.objects.create(
                code=row.code,
                name=row.name,
                kind=row.kind,
                phone=row.phone or "",
                region=plan.district,
            )
            units[row.code] = unit
            result.units_created.append(row.code)
            continue
        changes = {"name": row.name, "kind": row.kind}
        if row.phone is not None:
            changes["phone"] = row.phone
        changed = [k for k, v in changes.items() if getattr(unit, k) != v]
        if changed:
            for k in changed:
                setattr(unit, k, changes[k])
            unit.save(update_fields=changed)
            result.units_updated.append(row.code)
    _write_people(plan, result, units)


def _write_people(plan: PeoplePlan, result: PeopleImportResult, units: dict[str, Unit]) -> None:
    district_roles = (Role.OFFICE, Role.INSPECTOR)
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.select_for_update().filter(
            username__in=[p.username for p in plan.people]
        )
    }
    people = {p.user_id: p for p in Person.objects.filter(user__in=users.values())}
    regions = {
        r.code: r
        for r in Region.objects.filter(
            code__in={c for p in plan.people for c in p.region_codes or []}
        )
    }
    sites = {
        s.code: s
        for s in Site.objects.filter(code__in={c for p in plan.people for c in p.site_codes or []})
    }
    for row in plan.people:
        user = users.get(row.username)
        person: Person | None
        if user is None:
            user = User(username=row.username)
            if row.password:
                user.set_password(row.password)
            else:
                user.set_unusable_password()
                result.notices.append(
                    _(
                        "Row %(row)d: %(username)s (%(name)s) has no password and cannot log in "
                        "until one is set (civgrid changepassword %(username)s, or the admin)."
                    )
                    % {"row": row.row, "username": row.username, "name": row.name}
                )
            user.save()
            person = None
        else:
            person = people.get(user.pk)
            if row.password:
                result.notices.append(
                    _(
                        "Row %(row)d: %(username)s already exists; the initial password was not "
                        "applied."
                    )
                    % {"row": row.row, "username": row.username}
                )
        # A column the sheet does not have keeps what is stored (None in the row).
        values: dict[str, Any] = {"name": row.name, "role": row.role}
        if row.phone is not None:
            values["phone"] = row.phone
        if row.unit_code is not None:
            values["unit"] = units.get(row.unit_code) if row.unit_code else None
        if person is None:
            person = Person.objects.create(user=user, **values)
            result.people_created.append(row.username)
            touched = True
        else:
            fields = [k for k, v in values.items() if getattr(person, k) != v]
            for k in fields:
                setattr(person, k, values[k])
            if fields:
                person.save(update_fields=fields)
            touched = bool(fields)
        if (
            not row.region_codes
            and plan.district is not None
            and row.role in district_roles
            and not person.regions.exists()
        ):
            # A district office never creates a city-wide office: its own district.
            person.regions.set([plan.district])
            touched = True
        elif row.region_codes is not None:
            new_regions = {regions[c].pk for c in row.region_codes}
            if set(person.regions.values_list("pk", flat=True)) != new_regions:
                person.regions.set(new_regions)
                touched = True
        if row.site_codes is not None:
            new_sites = {sites[c].pk for c in row.site_codes}
            if set(person.sites.values_list("pk", flat=True)) != new_sites:
                person.sites.set(new_sites)
                touched = True
        if touched and row.username not in result.people_created:
            result.people_updated.append(row.username)
