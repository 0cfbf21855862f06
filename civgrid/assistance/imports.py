"""Importing the existing rolls (名册导入) from Excel: every row checked, all or nothing.

One sheet (the first, or one named 名册 / roll) with the headers 项目编码, 户编码, 姓名,
身份证号码, 保障人数, 开户银行, 银行账号, 享受起始日期 (English: programme, household, name,
id_number, persons, bank_name, bank_account, starts_on). The rows are people already on the
paper roll, so they come in *active* — the import is 民政's approval, written as an `imported`
event with who and when. Checked: the programme is one the importer answers for; the household
is in the register and inside the importer's district; the ID number (GB 11643); the same
person only once per programme (in the file and against the roll); age limits on the start
date; persons, account and date formats. Messages never repeat an ID or account number.
Format the ID and account columns as text: Excel turns an 18-digit number into a float and
loses its last digits (such a row fails its check digit).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.assistance import rules
from civgrid.assistance.actions import MAX_PERSONS, actor_name, clean_account
from civgrid.assistance.models import Beneficiary, BeneficiaryEvent, Programme
from civgrid.assistance.queries import civil_affairs_programme_ids
from civgrid.cases.errors import InvalidInput
from civgrid.lib import idnumbers, xlsx
from civgrid.lib.importing import (
    ImportOutcome,
    UnreadableWorkbook,
    cell_text,
    open_workbook,
    read_table,
    sheet_named,
)
from civgrid.org.scope import scope_of
from civgrid.visits.models import Household

MAX_ROWS = 20_000
SHEETS = ("名册", "roll", "救助名册")
COLUMNS: dict[str, tuple[str, ...]] = {
    "programme": ("项目编码", "programme", "项目"),
    "household": ("户编码", "household", "household_code"),
    "name": ("姓名", "name"),
    "id_number": ("身份证号码", "id_number", "身份证号"),
    "persons": ("保障人数", "persons", "人数"),
    "bank_name": ("开户银行", "bank_name", "银行"),
    "bank_account": ("银行账号", "bank_account", "账号", "卡号"),
    "starts_on": ("享受起始日期", "starts_on", "起始日期", "纳入日期"),
}
REQUIRED = ("programme", "household", "name", "id_number", "starts_on")
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass(frozen=True)
class Problem:
    row: int | None
    field: str
    message: str
    severity: str = "error"

    @property
    def column(self) -> str:
        return COLUMNS[self.field][0] if self.field in COLUMNS else self.field


@dataclass
class RollRow:
    row: int
    programme: Programme
    household: Household
    name: str
    id_number: str
    persons: int
    bank_name: str
    bank_account: str
    starts_on: dt.date


@dataclass
class RollImportResult(ImportOutcome):
    created: int = 0
    rows: list[RollRow] = field(default_factory=list)


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else cell_text(value)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def validate(workbook: Any, *, actor: User) -> tuple[list[RollRow], list[Problem]]:
    """Check every row against the others and the database; writes nothing."""
    problems: list[Problem] = []
    ws = sheet_named(workbook, SHEETS) or (workbook.worksheets[0] if workbook.worksheets else None)
    if ws is None:
        return [], [Problem(None, "sheet", _("The workbook has no sheet."))]

    def report(row: int, name: str, message: str, severity: str) -> None:
        problems.append(Problem(row, name, message, severity))

    rows = read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS, convert=_cell)
    mine = civil_affairs_programme_ids(actor)
    programmes = {p.code: p for p in Programme.objects.filter(pk__in=mine)}
    scope = scope_of(actor)
    households = {
        h.code: h
        for h in Household.objects.filter(
            code__in={str(r["household"]) for _n, r in rows}, is_active=True
        )
        .filter(scope.q("grid"))
        .select_related("grid")
    }
    numbers = {idnumbers.normalise(str(r["id_number"])) for _n, r in rows}
    on_roll = set(
        Beneficiary.objects.filter(
            id_number__in=numbers, status__in=Beneficiary.OPEN, programme__in=programmes.values()
        ).values_list("programme_id", "id_number")
    )
    first: dict[tuple[int, str], int] = {}
    out: list[RollRow] = []
    for number, r in rows:
        before = len(problems)

        def bad(name: str, message: str) -> None:
            problems.append(Problem(number, name, message))  # noqa: B023

        programme = programmes.get(str(r["programme"]))
        if programme is None:
            bad("programme", _("No programme %(code)s of yours.") % {"code": r["programme"]})
        household = households.get(str(r["household"]))
        if household is None:
            bad(
                "household",
                _("No household %(code)s in your district's register.") % {"code": r["household"]},
            )
        name = str(r["name"])
        if not name:
            bad("name", _("A name is required."))
        elif len(name) > 50:
            bad("name", _("At most %(n)d characters.") % {"n": 50})
        id_number = ""
        try:
            id_number = idnumbers.validate(str(r["id_number"]))
        except idnumbers.BadIdNumber as exc:
            bad("id_number", str(exc))
        starts_on = parse_date(r["starts_on"])
        if starts_on is None:
            bad("starts_on", _("Write the date as 2026-01-01."))
        persons = 1
        text = str(r.get("persons") or "1")
        if text.isdigit() and 1 <= int(text) <= MAX_PERSONS:
            persons = int(text)
        else:
            bad("persons", _("Between 1 and %(n)d persons.") % {"n": MAX_PERSONS})
        account = ""
        try:
            account = clean_account(str(r.get("bank_account") or ""))
        except InvalidInput as exc:
            bad("bank_account", exc.message)
        bank_name = str(r.get("bank_name") or "")
        if len(bank_name) > 50:
            bad("bank_name", _("At most %(n)d characters.") % {"n": 50})
        if programme is not None and id_number:
            key = (programme.pk, id_number)
            if key in first:
                bad(
                    "id_number",
                    _("The same person is already in row %(row)d for this programme.")
                    % {"row": first[key]},
                )
            elif key in on_roll:
                bad("id_number", _("This person is already on the roll of this programme."))
            first.setdefault(key, number)
            if starts_on is not None:
                for message in rules.eligibility_problems(
                    min_age=programme.min_age,
                    max_age=programme.max_age,
                    birth_on=idnumbers.birth_date(id_number),
                    on=starts_on,
                ):
                    bad("starts_on", message)
        if len(problems) == before:
            assert programme and household and starts_on
            out.append(
                RollRow(
                    number,
                    programme,
                    household,
                    name,
                    id_number,
                    persons,
                    bank_name,
                    account,
                    starts_on,
                )
            )
    return out, problems


def import_roll(
    data: bytes, *, actor: User, dry_run: bool = False, now: dt.datetime | None = None
) -> RollImportResult:
    """Import the roll in `data`: nothing is written when any row has an error (or dry run)."""
    now = now or timezone.now()
    try:
        workbook = open_workbook(data)
    except UnreadableWorkbook as exc:
        return RollImportResult(problems=[Problem(None, "file", str(exc))], dry_run=dry_run)
    rows, problems = validate(workbook, actor=actor)
    result = RollImportResult(problems=problems, dry_run=dry_run, rows=rows)
    if result.errors or not rows:
        if not rows and not result.errors:
            result.problems.append(Problem(None, "sheet", _("The sheet has no rows.")))
        return result
    if dry_run:
        result.created = len(rows)
        return result
    try:
        with transaction.atomic():
            made = Beneficiary.objects.bulk_create(
                [
                    Beneficiary(
                        programme=r.programme,
                        household=r.household,
                        name=r.name,
                        id_number=r.id_number,
                        birth_on=idnumbers.birth_date(r.id_number),
                        persons=r.persons,
                        bank_name=r.bank_name,
                        bank_account=r.bank_account,
                        status=Beneficiary.Status.ACTIVE,
                        applied_on=r.starts_on,
                        starts_on=r.starts_on,
                        proposed_by=actor,
                        approved_by=actor,
                        approved_at=now,
                        created_at=now,
                        updated_at=now,
                    )
                    for r in rows
                ],
                batch_size=500,
            )
            if any(b.pk is None for b in made):  # a backend that returns no ids
                made = list(
                    Beneficiary.objects.filter(created_at=now, approved_by=actor).order_by("pk")
                )
            who = actor_name(actor)
            BeneficiaryEvent.objects.bulk_create(
                [
                    BeneficiaryEvent(
                        beneficiary=b,
                        kind=BeneficiaryEvent.Kind.IMPORTED,
                        at=now,
                        by=actor,
                        by_name=who,
                        data={"row": r.row},
                    )
                    for b, r in zip(made, rows, strict=True)
                ],
                batch_size=500,
            )
    except IntegrityError:
        # Someone enrolled one of these people meanwhile: the unique key refused the file.
        result.problems.append(
            Problem(None, "id_number", _("A person of the file was enrolled meanwhile: try again."))
        )
        return result
    result.created = len(rows)
    return result


def template_workbook() -> bytes:
    """An empty roll with the Chinese headers and a notes sheet."""
    wb = xlsx.new_workbook()
    xlsx.sheet(
        wb, "名册", [(aliases[0], 16 if f != "id_number" else 22) for f, aliases in COLUMNS.items()]
    )
    xlsx.notes_sheet(
        wb,
        [
            "项目编码、户编码、姓名、身份证号码、享受起始日期必填",
            "户编码须是住户登记表中已有的户；身份证号码、银行账号请设为文本格式",
            "同一项目中同一人只能出现一次；日期写作 2026-01-01",
            "表内任何一行有错误时整个文件都不导入；导入的对象即为在保，记录导入人和时间",
        ],
        width=80,
    )
    return xlsx.to_bytes(wb)
