"""Every change to enterprise files (企业档案操作).

Each action takes a keyword-only `actor`, checks the role and the region scope, raises
civgrid.cases.errors.InvalidInput / NotAllowed before anything is written, runs in one
transaction and writes an EnterpriseEvent (who, when, the fields' old and new values).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.cases.photos import _flush
from civgrid.enterprises import imports
from civgrid.enterprises.imports import EnterpriseRow, Problem, validate_enterprises
from civgrid.enterprises.models import DocumentKind, Enterprise, EnterpriseDocument, EnterpriseEvent
from civgrid.enterprises.queries import may_edit
from civgrid.lib.importing import ImportOutcome
from civgrid.lib.photos import PhotoError, clean_photo
from civgrid.lib.uploads import UploadTooLarge, read_upload
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import scope_of

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# The fields an event records changes of (the file's facts, not its bookkeeping).
TRACKED = (
    "name",
    "kind",
    "credit_code",
    "address",
    "longitude",
    "latitude",
    "grid_id",
    "site_id",
    "regulator_id",
    "legal_person",
    "legal_phone",
    "safety_person",
    "safety_phone",
    "staff",
    "floor_area",
    "seats",
    "beds",
    "is_active",
)


def _by_name(actor: User | None) -> str:
    person = get_person(actor)
    if person is not None:
        return person.name
    return actor.get_username() if actor is not None else "import"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _event(
    enterprise: Enterprise,
    action: str,
    actor: User | None,
    now: dt.datetime,
    *,
    changes: dict[str, list[str]] | None = None,
    note: str = "",
) -> EnterpriseEvent:
    return EnterpriseEvent.objects.create(
        enterprise=enterprise,
        action=action,
        at=now,
        by=actor,
        by_name=_by_name(actor),
        note=note[:255],
        changes=changes or {},
    )


def _changes(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, list[str]]:
    return {
        name: [_text(getattr(enterprise, name)), _text(value)]
        for name, value in values.items()
        if name in TRACKED and getattr(enterprise, name) != value
    }


# --- one file at a time -----------------------------------------------------------------


def register_enterprise(*, actor: User, row: EnterpriseRow) -> Enterprise:
    """Open the file of an enterprise (建档) from a checked row (see imports.check_row)."""
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office opens enterprise files."))
    now = timezone.now()
    with transaction.atomic():
        if row.credit_code and Enterprise.objects.filter(credit_code=row.credit_code).exists():
            raise InvalidInput(
                _("An enterprise with this credit code is already on file."), "credit_code"
            )
        enterprise = Enterprise.objects.create(created_at=now, updated_at=now, **row.values())
        _event(enterprise, EnterpriseEvent.Action.CREATED, actor, now)
    return enterprise


def update_enterprise(*, actor: User, enterprise: Enterprise, row: EnterpriseRow) -> bool:
    """Change a file's facts; returns whether anything changed (an unchanged form writes
    nothing)."""
    if not may_edit(actor, enterprise):
        raise NotAllowed(_("Only the campaign office and the regulating unit keep this file."))
    now = timezone.now()
    values = row.values()
    if role_of(actor) == Role.UNIT_CLERK and values.get("regulator_id") != enterprise.regulator_id:
        raise NotAllowed(_("Only the campaign office changes the regulating unit."))
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        changes = _changes(locked, values)
        if not changes:
            return False
        if (
            values.get("credit_code")
            and Enterprise.objects.filter(credit_code=values["credit_code"])
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise InvalidInput(
                _("An enterprise with this credit code is already on file."), "credit_code"
            )
        for name, value in values.items():
            setattr(locked, name, value)
        locked.updated_at = now
        locked.save(update_fields=[*values, "updated_at"])
        _event(locked, EnterpriseEvent.Action.UPDATED, actor, now, changes=changes)
    return True


@dataclass(frozen=True)
class CleanDocument:
    content: bytes
    extension: str
    sha256: str


def clean_document(upload: Any) -> CleanDocument:
    """A PDF as it is, or a photo or scan with its metadata stripped; anything else refused."""
    try:
        data = read_upload(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except UploadTooLarge as exc:
        raise InvalidInput(_("The file is %(reason)s.") % {"reason": exc}, "file") from exc
    if data.startswith(b"%PDF-"):
        return CleanDocument(data, "pdf", hashlib.sha256(data).hexdigest())
    try:
        photo = clean_photo(data, max_bytes=MAX_DOCUMENT_BYTES)
    except PhotoError as exc:
        raise InvalidInput(
            _("The file must be a PDF or a photo (JPEG, PNG, WebP): %(reason)s.") % {"reason": exc},
            "file",
        ) from exc
    return CleanDocument(photo.content, photo.extension, photo.sha256)


def add_document(
    *,
    actor: User,
    enterprise: Enterprise,
    kind: str,
    upload: Any,
    number: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> EnterpriseDocument:
    """Put a licence or record into the file; the newest of a kind is the current one.

    The file is written (under a random name) and flushed before its row, in the transaction:
    a rollback leaves an unnamed file for `civgrid sweep-media`, never a row without its file.
    """
    if not may_edit(actor, enterprise):
        raise NotAllowed(_("Only the campaign office and the regulating unit keep this file."))
    if kind not in DocumentKind.values:
        raise InvalidInput(_("Unknown kind of document."), "kind")
    if issued_on and expires_on and expires_on < issued_on:
        raise InvalidInput(_("The document expires before it was issued."), "expires_on")
    number = (number or "").strip()
    if len(number) > 64:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": 64}, "number")
    clean = clean_document(upload)
    now = timezone.now()
    with transaction.atomic():
        locked = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        doc = EnterpriseDocument(
            enterprise=locked,
            kind=kind,
            number=number,
            issued_on=issued_on,
            expires_on=expires_on,
            sha256=clean.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
        doc.file.save(
            f"{uuid.uuid4().hex}.{clean.extension}", ContentFile(clean.content), save=False
        )
        _flush(doc.file.storage, str(doc.file.name))
        doc.save()
        label = str(DocumentKind(kind).label)
        note = f"{label} {number}".strip()
        if expires_on:
            note += " " + _("valid until %(date)s") % {"date": expires_on.isoformat()}
        _event(locked, EnterpriseEvent.Action.DOCUMENT, actor, now, note=note)
    return doc


# --- importing ----------------------------------------------------------------------------


@dataclass
class EnterpriseImportResult(ImportOutcome):
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def import_enterprises(
    data: bytes | Any, *, actor: AnyUser | None, dry_run: bool = False
) -> EnterpriseImportResult:
    """Create or update files from a workbook (企业导入), matched by credit code, or by name
    and address when a venue has none.

    All or nothing: every row is checked first (including that its grid lies in the importing
    office's scope); with any error nothing is written and the result lists every problem by
    row and column. `actor` None is the command line (the whole installation).
    """
    if actor is not None and role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office imports enterprise files."))
    if isinstance(data, bytes | bytearray):
        workbook, problem = imports.load_workbook(bytes(data))
        if problem is not None:
            return EnterpriseImportResult(problems=[problem], dry_run=dry_run)
    else:
        workbook = data
    scope = scope_of(actor) if actor is not None else None
    rows, problems = validate_enterprises(workbook, scope=scope)
    result = EnterpriseImportResult(problems=problems, dry_run=dry_run)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _write(rows, result, actor if isinstance(actor, User) else None)
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        result.problems.append(
            Problem(None, "", "", _("The database refused the import: %(error)s") % {"error": exc})
        )
        return result
    if not dry_run:
        log.info(
            "enterprises imported by %s: %d created, %d updated",
            _by_name(actor if isinstance(actor, User) else None),
            len(result.created),
            len(result.updated),
        )
    return result


def _match(row: EnterpriseRow) -> Enterprise | None:
    found = Enterprise.objects.select_for_update()
    if row.credit_code:
        return found.filter(credit_code=row.credit_code).first()
    return found.filter(credit_code="", name=row.name, address=row.address).first()


def _write(rows: list[EnterpriseRow], result: EnterpriseImportResult, actor: User | None) -> None:
    now = timezone.now()
    for row in rows:
        values = row.values()
        enterprise = _match(row)
        if enterprise is None:
            enterprise = Enterprise.objects.create(created_at=now, updated_at=now, **values)
            _event(enterprise, EnterpriseEvent.Action.CREATED, actor, now, note=_("import"))
            result.created.append(row.label)
            continue
        values["is_active"] = True
        changes = _changes(enterprise, values)
        if not changes:
            continue
        for name, value in values.items():
            setattr(enterprise, name, value)
        enterprise.updated_at = now
        enterprise.save()
        _event(enterprise, EnterpriseEvent.Action.IMPORTED, actor, now, changes=changes)
        result.updated.append(row.label)
