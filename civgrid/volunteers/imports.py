"""Importing the volunteer register (志愿者花名册导入) from the office's workbook.

One sheet (the first, or one named 志愿者 / volunteers) with the headers 姓名, 手机号, 身份证号,
社区或网格编码, 服务队, 技能, 服务时间, 政治面貌 (English: name, phone, id_number, region_code,
team, skills, availability, political_status). All or nothing: every row is checked first
(ID check digit, duplicates in the file and on the register, region inside the importer's
area, team known); with any error nothing is written and every problem is listed by row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.lib import idnumbers, xlsx
from civgrid.lib.importing import (
    ImportOutcome,
    UnreadableWorkbook,
    open_workbook,
    read_table,
    sheet_named,
)
from civgrid.org.queries import AnyUser
from civgrid.org.scope import scope_of
from civgrid.territory.models import Region
from civgrid.volunteers.models import PoliticalStatus, Team, Volunteer, VolunteerEvent

MAX_ROWS = 20_000
SHEETS = ("volunteers", "志愿者", "志愿者花名册")
COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "name", "真实姓名"),
    "phone": ("手机号", "phone", "联系电话", "电话"),
    "id_number": ("身份证号", "id_number", "身份证号码", "公民身份号码"),
    "region_code": ("社区或网格编码", "region_code", "社区编码", "网格编码", "区域编码"),
    "team": ("服务队", "team", "志愿服务队", "所属队伍"),
    "skills": ("技能", "skills", "特长"),
    "availability": ("服务时间", "availability", "可服务时间"),
    "political_status": ("政治面貌", "political_status"),
}
REQUIRED = ("name", "phone", "id_number", "region_code")
POLITICAL = {
    "": PoliticalStatus.MASSES,
    "群众": PoliticalStatus.MASSES,
    "masses": PoliticalStatus.MASSES,
    "中共党员": PoliticalStatus.PARTY_MEMBER,
    "党员": PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": PoliticalStatus.PARTY_MEMBER,
    "party": PoliticalStatus.PARTY_MEMBER,
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "团员": PoliticalStatus.LEAGUE_MEMBER,
    "league": PoliticalStatus.LEAGUE_MEMBER,
}


@dataclass(frozen=True)
class Problem:
    """One line of the report: the Excel row (row 1 is the header) and the column at fault."""

    row: int | None
    field: str
    message: str
    severity: str = "error"

    @property
    def column(self) -> str:
        return COLUMNS[self.field][0] if self.field in COLUMNS else self.field


@dataclass
class VolunteerImportResult(ImportOutcome):
    created: list[str] = field(default_factory=list)


def _validate(workbook: Any, actor: AnyUser | None) -> tuple[list[dict[str, Any]], list[Problem]]:
    problems: list[Problem] = []
    ws = sheet_named(workbook, SHEETS) or (workbook.worksheets[0] if workbook.worksheets else None)
    if ws is None:
        return [], [Problem(None, "sheet", _("The workbook has no sheet."))]

    def report(row: int, name: str, message: str, severity: str) -> None:
        problems.append(Problem(row, name, message, severity))

    rows = read_table(ws, COLUMNS, REQUIRED, report, max_rows=MAX_ROWS)
    regions = {
        r.code: r for r in Region.objects.filter(code__in={r["region_code"] for _n, r in rows})
    }
    teams = {t.name: t for t in Team.objects.filter(name__in={r.get("team", "") for _n, r in rows})}
    numbers = [idnumbers.normalise(r["id_number"]) for _n, r in rows]
    registered = set(
        Volunteer.objects.filter(id_number__in=numbers).values_list("id_number", flat=True)
    )
    scope = scope_of(actor) if actor is not None else None
    first: dict[str, int] = {}
    out: list[dict[str, Any]] = []
    for number, r in rows:
        row_problems: list[Problem] = []

        def bad(name: str, message: str) -> None:
            row_problems.append(Problem(number, name, message))  # noqa: B023

        name = r["name"]
        if not name:
            bad("name", _("A name is required."))
        elif len(name) > 50:
            bad("name", _("At most %(n)d characters.") % {"n": 50})
        phone = r["phone"]
        if not (phone.isascii() and phone.isdigit() and 7 <= len(phone) <= 15):
            bad("phone", _("Give a phone number of digits only."))
        id_number = idnumbers.normalise(r["id_number"])
        if not idnumbers.is_valid(id_number):
            bad(
                "id_number", _("Not a valid ID number (18 characters, the last one a check digit).")
            )
        elif id_number in first:
            bad(
                "id_number",
                _("This ID number appears more than once (first in row %(row)d).")
                % {"row": first[id_number]},
            )
        elif id_number in registered:
            bad("id_number", _("A volunteer with this ID number is already registered."))
        else:
            first[id_number] = number
        region = regions.get(r["region_code"])
        if region is None:
            bad("region_code", _("Unknown region %(code)s.") % {"code": r["region_code"]})
        elif region.level < Region.Level.STREET:
            bad("region_code", _("Choose a street, community or grid."))
        elif scope is not None and not scope.covers(region):
            bad("region_code", _("Region %(code)s is outside your area.") % {"code": region.code})
        team = None
        if r.get("team"):
            team = teams.get(r["team"])
            if team is None:
                bad("team", _("Unknown team %(name)s.") % {"name": r["team"]})
        status = POLITICAL.get(r.get("political_status", "").strip().lower())
        if status is None:
            bad("political_status", _("Write 中共党员, 共青团员 or 群众."))
        for name_, limit in (("skills", 200), ("availability", 100)):
            if len(r.get(name_, "")) > limit:
                bad(name_, _("At most %(n)d characters.") % {"n": limit})
        problems.extend(row_problems)
        if not row_problems:
            out.append(
                {
                    "name": name,
                    "phone": phone,
                    "id_number": id_number,
                    "region": region,
                    "team": team,
                    "skills": r.get("skills", ""),
                    "availability": r.get("availability", ""),
                    "political_status": status,
                }
            )
    return out, problems


def import_volunteers(
    data: bytes | Any, *, actor: AnyUser | None, dry_run: bool = False
) -> VolunteerImportResult:
    """Register the volunteers of a workbook as active (the importer is the community).

    `actor` None is the command line (the whole installation)."""
    if isinstance(data, bytes | bytearray):
        try:
            workbook = open_workbook(bytes(data))
        except UnreadableWorkbook as exc:
            return VolunteerImportResult(
                problems=[Problem(None, "file", str(exc))], dry_run=dry_run
            )
    else:
        workbook = data
    rows, problems = _validate(workbook, actor)
    result = VolunteerImportResult(problems=list(problems), dry_run=dry_run)
    if result.errors:
        return result
    now = timezone.now()
    user = actor if actor is not None and actor.is_authenticated else None
    try:
        with transaction.atomic():
            made = Volunteer.objects.bulk_create(
                [
                    Volunteer(
                        **row,
                        status=Volunteer.Status.ACTIVE,
                        registered_at=now,
                        approved_at=now,
                        approved_by=user,
                    )
                    for row in rows
                ],
                batch_size=500,
            )
            made = list(Volunteer.objects.filter(id_number__in=[r["id_number"] for r in rows]))
            VolunteerEvent.objects.bulk_create(
                [
                    VolunteerEvent(
                        action="import",
                        volunteer=v,
                        actor=user,
                        actor_name=user.get_username() if user else "command line",
                        created_at=now,
                    )
                    for v in made
                ],
                batch_size=500,
            )
            result.created = [v.name for v in made]
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        result.problems.append(
            Problem(None, "", _("The database refused the import: %(error)s") % {"error": exc})
        )
    return result


def template_workbook() -> bytes:
    wb = xlsx.new_workbook(write_only=False)
    xlsx.sheet(wb, "志愿者", [(a[0], 16) for a in COLUMNS.values()])
    xlsx.notes_sheet(
        wb,
        [
            "姓名、手机号、身份证号、社区或网格编码必填；身份证号须为18位且校验位正确",
            "服务队须是已建立的队伍名称；政治面貌填中共党员、共青团员或群众",
            "表内任何一行有错误时整个文件都不导入",
        ],
        width=80,
    )
    return xlsx.to_bytes(wb)
