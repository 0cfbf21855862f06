"""Every change to the evaluation framework: importing an edition, making an edition current."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from civgrid.lib.importing import ImportOutcome
from civgrid.org.queries import AnyUser
from civgrid.org.scope import scope_of
from civgrid.standards.excel import FrameworkPlan, Problem, load_workbook, validate_framework
from civgrid.standards.models import (
    ChecklistQuestion,
    Content,
    Framework,
    Item,
    Standard,
    StandardCoUnit,
)

log = logging.getLogger(__name__)

CODE_MAX = 32


def CITY_ONLY() -> str:  # noqa: N802 (a message, translated when asked)
    return _("Only the city office changes the evaluation framework: it is the whole city's.")


NAME_MAX = 200


@dataclass
class FrameworkImportResult(ImportOutcome):
    framework: Framework | None = None
    items: int = 0
    contents: int = 0
    standards: int = 0
    questions: int = 0


def import_framework(
    data: bytes | Any,
    *,
    actor: AnyUser | None,
    code: str,
    name: str,
    edition: str = "",
    notes: str = "",
    source_name: str = "",
    dry_run: bool = False,
    make_current: bool = False,
) -> FrameworkImportResult:
    """Import a framework sheet as a NEW edition beside the ones already stored.

    All or nothing: every row is checked first; with any error nothing is written and the
    result lists every problem by row and column. The first edition ever imported becomes
    current; later ones only with `make_current`. `data` is the .xlsx bytes or an openpyxl
    workbook; `actor` is who imports (None for the command line).
    """
    result = FrameworkImportResult(dry_run=dry_run)
    if actor is not None and not scope_of(actor).is_everything:
        # The framework is the whole city's (一市多区): one district may not replace it.
        result.problems.append(Problem(None, "", "", CITY_ONLY()))
        return result
    code, name = code.strip(), name.strip()
    if not code:
        result.problems.append(
            Problem(None, "", "framework code", _("An edition code is required."))
        )
    elif len(code) > CODE_MAX:
        result.problems.append(Problem(None, "", "framework code", _("At most 32 characters.")))
    elif Framework.objects.filter(code=code).exists():
        result.problems.append(
            Problem(
                None,
                "",
                "framework code",
                _("An edition with the code %(code)s already exists: choose another code.")
                % {"code": code},
            )
        )
    if not name:
        result.problems.append(Problem(None, "", "framework name", _("A name is required.")))
    elif len(name) > NAME_MAX:
        result.problems.append(Problem(None, "", "framework name", _("At most 200 characters.")))
    if isinstance(data, bytes | bytearray):
        workbook, problem = load_workbook(bytes(data))
        if problem is not None:
            result.problems.append(problem)
            return result
    else:
        workbook = data
    plan = validate_framework(workbook)
    result.problems.extend(plan.problems)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            framework = _write(
                plan,
                result,
                code=code,
                name=name,
                edition=edition.strip()[:100],
                notes=notes.strip(),
                source_name=source_name[:255],
                actor=actor,
            )
            if make_current or not Framework.objects.filter(is_current=True).exists():
                _set_current(framework)
            if dry_run:
                transaction.set_rollback(True)
            else:
                result.framework = framework
    except IntegrityError as exc:  # e.g. the same code imported at the same moment
        result.problems.append(
            Problem(None, "", "", _("The database refused the import: %(error)s") % {"error": exc})
        )
        return result
    if not dry_run:
        log.info(
            "framework %s imported by %s: %d standards",
            code,
            actor.get_username() if actor else "command line",
            result.standards,
        )
    return result


def _write(
    plan: FrameworkPlan,
    result: FrameworkImportResult,
    *,
    code: str,
    name: str,
    edition: str,
    notes: str,
    source_name: str,
    actor: AnyUser | None,
) -> Framework:
    framework = Framework.objects.create(
        code=code,
        name=name,
        edition=edition,
        notes=notes,
        source_name=source_name,
        imported_by=actor if actor is not None and actor.is_authenticated else None,
    )
    items: dict[str, Item] = {}
    contents: dict[tuple[str, str], Content] = {}
    for r in plan.rows:
        if r.item_code not in items:
            items[r.item_code] = Item(
                framework=framework, code=r.item_code, name=r.item_name, order=len(items) + 1
            )
    Item.objects.bulk_create(items.values())
    if any(item.pk is None for item in items.values()):  # backends without RETURNING
        items = {i.code: i for i in framework.items.all()}
    for r in plan.rows:
        key = (r.item_code, r.content_code)
        if key not in contents:
            contents[key] = Content(
                item=items[r.item_code],
                code=r.content_code,
                name=r.content_name,
                order=len(contents) + 1,
            )
    Content.objects.bulk_create(contents.values())
    if any(content.pk is None for content in contents.values()):
        contents = {
            (c.item.code, c.code): c
            for c in Content.objects.filter(item__framework=framework).select_related("item")
        }
    standards = [
        Standard(
            framework=framework,
            content=contents[(r.item_code, r.content_code)],
            code=r.code,
            text=r.text,
            points=r.points,
            site_kinds=r.site_kinds,
            lead_unit_id=r.lead_unit_id,
            category_id=r.category_id,
            order=n,
        )
        for n, r in enumerate(plan.rows, start=1)
    ]
    Standard.objects.bulk_create(standards)
    by_code = {s.code: s for s in framework.standards.all()}
    StandardCoUnit.objects.bulk_create(
        [
            StandardCoUnit(standard=by_code[r.code], unit_id=unit_id, order=n)
            for r in plan.rows
            for n, unit_id in enumerate(r.co_unit_ids, start=1)
        ]
    )
    questions = [
        ChecklistQuestion(standard=by_code[r.code], order=n, text=text)
        for r in plan.rows
        for n, text in enumerate(r.questions, start=1)
    ]
    ChecklistQuestion.objects.bulk_create(questions)
    result.items, result.contents = len(items), len(contents)
    result.standards, result.questions = len(standards), len(questions)
    return framework


def _set_current(framework: Framework) -> None:
    # Clear first: the partial unique constraint allows one current row at any moment.
    Framework.objects.filter(is_current=True).exclude(pk=framework.pk).update(is_current=False)
    Framework.objects.filter(pk=framework.pk).update(is_current=True)
    framework.is_current = True


def make_current(framework: Framework, *, actor: AnyUser | None) -> bool:
    """Make this edition the one inspections default to; False when it already was."""
    if actor is not None and not scope_of(actor).is_everything:
        raise PermissionDenied(CITY_ONLY())
    with transaction.atomic():
        locked = Framework.objects.select_for_update().get(pk=framework.pk)
        if locked.is_current:
            return False
        _set_current(locked)
    framework.is_current = True
    log.info(
        "framework %s made current by %s",
        framework.code,
        actor.get_username() if actor else "command line",
    )
    return True
