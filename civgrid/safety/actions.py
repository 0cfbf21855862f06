"""Every change to the safety checklists: importing an edition, making an edition current."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import NotAllowed
from civgrid.lib.importing import ImportOutcome
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.safety.excel import Problem, load_workbook, validate_checklist
from civgrid.safety.models import Checklist, ChecklistItem

log = logging.getLogger(__name__)


@dataclass
class ChecklistImportResult(ImportOutcome):
    checklist: Checklist | None = None
    items: int = 0


def import_checklist(
    data: bytes | Any,
    *,
    actor: AnyUser | None,
    code: str,
    name: str,
    source_name: str = "",
    dry_run: bool = False,
    make_current: bool = False,
) -> ChecklistImportResult:
    """Import a checklist sheet as a NEW edition beside the ones stored (检查表导入).

    All or nothing: with any error nothing is written and every problem is listed by row and
    column. The first edition becomes current; later ones only with `make_current`. `actor`
    None is the command line.
    """
    if actor is not None and role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office imports checklists."))
    result = ChecklistImportResult(dry_run=dry_run)
    code, name = code.strip(), name.strip()
    if not code or len(code) > 32:
        result.problems.append(
            Problem(None, "", "code", _("Give the edition a code of 1 to 32 characters."))
        )
    elif Checklist.objects.filter(code=code).exists():
        result.problems.append(
            Problem(None, "", "code", _("An edition with code %(code)s exists.") % {"code": code})
        )
    if not name or len(name) > 200:
        result.problems.append(
            Problem(None, "", "name", _("Give the edition a name of 1 to 200 characters."))
        )
    if isinstance(data, bytes | bytearray):
        workbook, problem = load_workbook(bytes(data))
        if problem is not None:
            result.problems.append(problem)
            return result
    else:
        workbook = data
    rows, problems = validate_checklist(workbook)
    result.problems.extend(problems)
    if result.errors:
        return result
    now = timezone.now()
    try:
        with transaction.atomic():
            first = not Checklist.objects.exists()
            if make_current or first:
                Checklist.objects.select_for_update().filter(is_current=True).update(
                    is_current=False
                )
            checklist = Checklist.objects.create(
                code=code,
                name=name,
                is_current=make_current or first,
                imported_at=now,
                imported_by=actor if isinstance(actor, User) else None,
                source_name=source_name[:255],
            )
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    checklist=checklist,
                    code=row.code,
                    section=row.section,
                    text=row.text,
                    kinds=row.kinds,
                    grade=row.grade,
                    deadline_workdays=row.deadline_workdays,
                    order=i,
                )
                for i, row in enumerate(rows)
            )
            result.checklist, result.items = checklist, len(rows)
            if dry_run:
                transaction.set_rollback(True)
                result.checklist = None
    except IntegrityError as exc:
        result.problems.append(
            Problem(None, "", "", _("The database refused the import: %(error)s") % {"error": exc})
        )
        return result
    if not dry_run:
        log.info("checklist %s imported with %d items", code, len(rows))
    return result


def make_current(checklist: Checklist, *, actor: AnyUser | None) -> bool:
    """Make an edition the one checks use; returns whether anything changed."""
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office chooses the current checklist."))
    with transaction.atomic():
        locked = Checklist.objects.select_for_update().get(pk=checklist.pk)
        if locked.is_current:
            return False
        Checklist.objects.select_for_update().filter(is_current=True).update(is_current=False)
        locked.is_current = True
        locked.save(update_fields=["is_current"])
    log.info("checklist %s made current", locked.code)
    return True
