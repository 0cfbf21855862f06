"""Reading the units and people workbook (单位人员导入表) and checking every row.

Two sheets, as offices keep them: "units" (单位编码, 单位名称, 单位类型, 联系电话) and "people"
(账号, 姓名, 手机号, 角色, 所属单位编码, 负责网格编码, 分包点位编码, 初始密码). English headers
(code, name, kind, phone / username, name, phone, role, unit_code, region_codes, site_codes,
password) work too, and so do the Chinese sheet names 单位 and 人员. Roles and unit kinds may be
written as the Chinese label (网格员, 区直单位…) or the stored value (grid_worker, department…).

Several districts (一市多区): a district office imports under its district only (`scope`, see
civgrid/org/scope.py). Its new units belong to its district, a unit name need only be unique
within the district, and every unit, region, site and account it names must lie in it; the
office and inspector accounts it creates work for its district (their 负责区域编码, or its own
district when left empty), never for the whole city.

Nothing here writes: civgrid.org.actions.import_people writes a plan without errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from civgrid.lib import xlsx
from civgrid.lib.importing import UnreadableWorkbook, open_workbook, read_table, sheet_named
from civgrid.org.models import Person, Role, Unit
from civgrid.org.scope import Scope
from civgrid.territory.models import Region, Site

MAX_ROWS = 20_000

UNIT_SHEETS = ("units", "单位")
PEOPLE_SHEETS = ("people", "人员")

# field -> (header in the template, other accepted headers); the first column set is required.
UNIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("单位编码", "code", "编码", "unit_code"),
    "name": ("单位名称", "name", "名称"),
    "kind": ("单位类型", "kind", "类型"),
    "phone": ("联系电话", "phone", "电话"),
}
UNIT_REQUIRED = ("code", "name", "kind")
PEOPLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("账号", "username", "用户名", "登录账号"),
    "name": ("姓名", "name"),
    "phone": ("手机号", "phone", "手机", "联系电话", "电话"),
    "role": ("角色", "role"),
    "unit_code": ("所属单位编码", "unit_code", "单位编码"),
    "region_codes": ("负责网格编码", "region_codes", "网格编码", "负责区域编码"),
    "site_codes": ("分包点位编码", "site_codes", "点位编码"),
    "password": ("初始密码", "password", "密码"),
}
PEOPLE_REQUIRED = ("username", "name", "role")

ROLE_ALIASES: dict[str, str] = {
    "创建办": Role.OFFICE,
    "指挥部": Role.OFFICE,
    "创建办公室": Role.OFFICE,
    "督查": Role.INSPECTOR,
    "督查员": Role.INSPECTOR,
    "督查局": Role.INSPECTOR,
    "督导组": Role.INSPECTOR,
    "分包领导": Role.LEADER,
    "包片领导": Role.LEADER,
    "责任单位联络员": Role.UNIT_CLERK,
    "单位联络员": Role.UNIT_CLERK,
    "联络员": Role.UNIT_CLERK,
    "网格员": Role.GRID_WORKER,
    "群众": Role.RESIDENT,
    "居民": Role.RESIDENT,
}
KIND_ALIASES: dict[str, str] = {
    "区直单位": Unit.Kind.DISTRICT_DEPARTMENT,
    "区直部门": Unit.Kind.DISTRICT_DEPARTMENT,
    "乡镇办": Unit.Kind.TOWNSHIP,
    "乡镇": Unit.Kind.TOWNSHIP,
    "街道": Unit.Kind.TOWNSHIP,
    "街道办": Unit.Kind.TOWNSHIP,
    "乡(镇、办)": Unit.Kind.TOWNSHIP,
    "乡（镇、办）": Unit.Kind.TOWNSHIP,
    "村居": Unit.Kind.VILLAGE,
    "村": Unit.Kind.VILLAGE,
    "社区": Unit.Kind.VILLAGE,
    "共建单位": Unit.Kind.PARTNER,
}
# Labels for the template's drop-downs and notes: the Chinese word offices use.
ROLE_LABELS: dict[str, str] = {
    Role.OFFICE: "创建办",
    Role.INSPECTOR: "督查",
    Role.LEADER: "分包领导",
    Role.UNIT_CLERK: "责任单位联络员",
    Role.GRID_WORKER: "网格员",
    Role.RESIDENT: "群众",
}
KIND_LABELS: dict[str, str] = {
    Unit.Kind.DISTRICT_DEPARTMENT: "区直单位",
    Unit.Kind.TOWNSHIP: "乡镇办",
    Unit.Kind.VILLAGE: "村居",
    Unit.Kind.PARTNER: "共建单位",
}
_SPLIT = re.compile(r"[,，、;；\s]+")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{2,30}$")


@dataclass(frozen=True)
class Problem:
    """One line of the report: sheet and row as Excel shows them (row 1 is the header)."""

    sheet: str
    row: int | None
    code: str  # the unit code or username of the row
    field: str
    message: str
    severity: str = "error"  # or "warning"

    @property
    def column(self) -> str:
        """The column as the sheet's header names it (负责网格编码), not the internal field."""
        columns = UNIT_COLUMNS if self.sheet in UNIT_SHEETS else PEOPLE_COLUMNS
        return columns[self.field][0] if self.field in columns else self.field


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    kind: str
    phone: str | None


@dataclass
class PersonRow:
    """One checked person. None means "the sheet has no such column": keep what is stored."""

    row: int
    username: str
    name: str
    phone: str | None
    role: str
    unit_code: str | None
    region_codes: list[str] | None
    site_codes: list[str] | None
    password: str


@dataclass
class PeoplePlan:
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The importer's district (None: the city office or the command line): new units belong
    # to it, and new office and inspector accounts without regions work for it.
    district: Region | None = None
    scope: Scope = field(default_factory=Scope.everything)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


# --- reading cells ----------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part for part in _SPLIT.split(value) if part]


def parse_role(value: str) -> str | None:
    text = value.strip()
    if text in Role.values:
        return text
    if text in ROLE_ALIASES:
        return ROLE_ALIASES[text]
    for role, label in Role.choices:  # the full label, e.g. "Grid worker (网格员)"
        if text.lower() in (str(label).lower(), str(label).split(" (")[0].lower()):
            return role
    return None


def parse_kind(value: str) -> str | None:
    text = value.strip()
    if text in Unit.Kind.values:
        return text
    if text in KIND_ALIASES:
        return KIND_ALIASES[text]
    for kind, label in Unit.Kind.choices:
        if text.lower() in (str(label).lower(), str(label).split(" (")[0].lower()):
            return kind
    return None


def _read_sheet(
    ws: Any,
    sheet: str,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    problems: list[Problem],
) -> list[tuple[int, dict[str, str]]]:
    """The sheet's rows as {field: text}, with their Excel row numbers
    (civgrid.lib.importing.read_table finds the header under a title line)."""

    def report(row: int, field: str, message: str, severity: str) -> None:
        problems.append(Problem(sheet, row, "", field, message, severity))

    return read_table(ws, columns, required, report, max_rows=MAX_ROWS)


def load_workbook(data: bytes) -> tuple[Any, Problem | None]:
    try:
        return open_workbook(data), None
    except UnreadableWorkbook as exc:
        return None, Problem("", None, "", "file", str(exc))


# --- checking ---------------------------------------------------------------------------


def validate_people(workbook: Any, scope: Scope | None = None) -> PeoplePlan:
    """Check both sheets against each other and the database; writes nothing. `scope` is the
    importer's region scope (None: everything)."""
    plan = PeoplePlan()
    if scope is not None and not scope.is_everything:
        roots = list(scope.roots())
        plan.scope = scope
        plan.district = roots[0] if len(roots) == 1 else None
    units_ws = sheet_named(workbook, UNIT_SHEETS)
    people_ws = sheet_named(workbook, PEOPLE_SHEETS)
    if units_ws is None and people_ws is None:
        plan.problems.append(
            Problem(
                "",
                None,
                "",
                "sheet",
                _("The workbook needs a sheet named “units” (单位) or “people” (人员)."),
            )
        )
        return plan
    if units_ws is not None:
        title = str(units_ws.title)
        rows = _read_sheet(units_ws, title, UNIT_COLUMNS, UNIT_REQUIRED, plan.problems)
        _check_units(plan, title, rows)
    if people_ws is not None:
        title = str(people_ws.title)
        rows = _read_sheet(people_ws, title, PEOPLE_COLUMNS, PEOPLE_REQUIRED, plan.problems)
        _check_people(plan, title, rows)
    return plan


def _check_units(plan: PeoplePlan, sheet: str, rows: list[tuple[int, dict[str, str]]]) -> None:
    first: dict[str, int] = {}
    names: dict[str, int] = {}
    # Names are unique within a district (two districts both have a 城市管理局).
    existing_names = dict(
        Unit.objects.filter(region=plan.district).values_list("name", "code")
        if plan.district is not None
        else Unit.objects.filter(region__isnull=True).values_list("name", "code")
    )
    foreign = set(
        Unit.objects.exclude(pk__in=plan.scope.units()).values_list("code", flat=True)
        if not plan.scope.is_everything
        else []
    )
    for number, r in rows:
        problems: list[Problem] = []

        def bad(field_name: str, message: str, code: str = r["code"]) -> None:
            problems.append(Problem(sheet, number, code, field_name, message))  # noqa: B023

        code, name = r["code"], r["name"]
        if code in foreign:
            bad("code", _("Unit %(code)s belongs to another district.") % {"code": code})
        elif not code:
            bad("code", _("A unit code is required."))
        elif len(code) > 32:
            bad("code", _("At most 32 characters."))
        elif code in first:
            bad(
                "code",
                _("Unit code %(code)s appears more than once (first in row %(row)d).")
                % {"code": code, "row": first[code]},
            )
        if not name:
            bad("name", _("A unit name is required."))
        elif len(name) > 100:
            bad("name", _("At most 100 characters."))
        elif name in names:
            bad(
                "name",
                _("Unit name %(name)s appears more than once (first in row %(row)d).")
                % {"name": name, "row": names[name]},
            )
        elif existing_names.get(name, code) != code:
            bad(
                "name",
                _("Another unit (%(code)s) already has the name %(name)s.")
                % {"code": existing_names[name], "name": name},
            )
        kind = parse_kind(r["kind"])
        if kind is None:
            bad(
                "kind",
                _("Unknown unit type “%(value)s”: use %(choices)s.")
                % {"value": r["kind"], "choices": "、".join(KIND_LABELS.values())},
            )
        phone = r.get("phone")
        if phone and (len(phone) > 32 or not _PHONE.match(phone)):
            bad("phone", _("Not a phone number."))
        if code and code not in first:
            first[code] = number
        if name and name not in names:
            names[name] = number
        plan.problems.extend(problems)
        if not problems:
            plan.units.append(UnitRow(number, code, name, kind or "", phone))


def _check_people(plan: PeoplePlan, sheet: str, rows: list[tuple[int, dict[str, str]]]) -> None:
    usernames = [r["username"] for _n, r in rows if r["username"]]
    region_codes = {c for _n, r in rows for c in _split(r.get("region_codes", ""))}
    site_codes = {c for _n, r in rows for c in _split(r.get("site_codes", ""))}
    unit_codes = {r.get("unit_code", "") for _n, r in rows} - {""}
    regions = dict(Region.objects.filter(code__in=region_codes).values_list("code", "level"))
    sites = set(Site.objects.filter(code__in=site_codes).values_list("code", flat=True))
    known_units = set(plan.scope.units().filter(code__in=unit_codes).values_list("code", flat=True))
    known_units |= {u.code for u in plan.units}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=usernames)}
    foreign_users = _outside_scope(plan.scope, users.values())
    outside_regions = (
        set()
        if plan.scope.is_everything
        else {
            r.code for r in Region.objects.filter(code__in=region_codes) if not plan.scope.covers(r)
        }
    )
    outside_sites = (
        set()
        if plan.scope.is_everything
        else set(
            Site.objects.filter(code__in=site_codes)
            .exclude(plan.scope.q("grid"))
            .values_list("code", flat=True)
        )
    )
    username_check = UnicodeUsernameValidator()
    first: dict[str, int] = {}
    for number, r in rows:
        problems: list[Problem] = []
        username = r["username"]

        def bad(field_name: str, message: str) -> None:
            problems.append(Problem(sheet, number, username, field_name, message))  # noqa: B023

        if not username:
            bad("username", _("An account name is required."))
        elif len(username) > 150:
            bad("username", _("At most 150 characters."))
        elif username in first:
            bad(
                "username",
                _("Account %(username)s appears more than once (first in row %(row)d).")
                % {"username": username, "row": first[username]},
            )
        else:
            try:
                username_check(username)
            except ValidationError:
                bad("username", _("Use letters, digits and @ . + - _ only."))
        if username and username not in first:
            first[username] = number
        if username in foreign_users:
            bad(
                "username",
                _("Account %(username)s works for another district.") % {"username": username},
            )
        is_new = username not in users
        name = r["name"]
        if not name:
            bad("name", _("A name is required."))
        elif len(name) > 50:
            bad("name", _("At most 50 characters."))
        phone = r.get("phone")
        if phone and (len(phone) > 32 or not _PHONE.match(phone)):
            bad("phone", _("Not a phone number."))
        role = parse_role(r["role"])
        if role is None:
            bad(
                "role",
                _("Unknown role “%(value)s”: use %(choices)s.")
                % {"value": r["role"], "choices": "、".join(ROLE_LABELS.values())},
            )
        unit_code = r.get("unit_code")
        if unit_code and unit_code not in known_units:
            bad(
                "unit_code",
                _("Unknown unit %(code)s: not in the units sheet nor in civgrid.")
                % {"code": unit_code},
            )
        elif role == Role.UNIT_CLERK and not unit_code and (unit_code is not None or is_new):
            bad("unit_code", _("A unit clerk needs the code of their unit."))
        person_regions = _split(r.get("region_codes") or "")
        for code in person_regions:
            if code not in regions:
                bad("region_codes", _("Unknown region %(code)s.") % {"code": code})
            elif code in outside_regions:
                bad(
                    "region_codes",
                    _("%(code)s lies outside your district.") % {"code": code},
                )
            elif role == Role.GRID_WORKER and regions[code] != Region.Level.GRID:
                bad(
                    "region_codes",
                    _("%(code)s is not a grid: grid workers are assigned grids.") % {"code": code},
                )
        if person_regions and role not in (*REGION_ROLES, None):
            bad(
                "region_codes",
                _(
                    "Only grid workers, responsible leaders, offices and inspectors (their "
                    "district) are assigned regions."
                ),
            )
        if role == Role.GRID_WORKER and not person_regions and ("region_codes" in r or is_new):
            bad("region_codes", _("A grid worker needs at least one grid."))
        person_sites = _split(r.get("site_codes") or "")
        for code in person_sites:
            if code not in sites:
                bad("site_codes", _("Unknown site %(code)s.") % {"code": code})
            elif code in outside_sites:
                bad("site_codes", _("%(code)s lies outside your district.") % {"code": code})
        if person_sites and role not in (Role.LEADER, None):
            bad("site_codes", _("Only responsible leaders contract sites."))
        password = r.get("password", "")
        if password and username not in users:
            # settings.AUTH_PASSWORD_VALIDATORS: length, common, numeric, like the account.
            try:
                validate_password(password, get_user_model()(username=username, first_name=name))
            except ValidationError as exc:
                bad("password", " ".join(exc.messages))
        plan.problems.extend(problems)
        if not problems:
            plan.people.append(
                PersonRow(
                    number,
                    username,
                    name,
                    phone,
                    role or "",  # never empty here: an unknown role is an error above
                    unit_code,
                    person_regions if "region_codes" in r else None,
                    person_sites if "site_codes" in r else None,
                    password,
                )
            )


# Roles assigned regions: the grids worked or contracted, or the district worked for.
REGION_ROLES = (Role.GRID_WORKER, Role.LEADER, Role.OFFICE, Role.INSPECTOR)


def _outside_scope(scope: Scope, users: Any) -> set[str]:
    """Usernames of existing accounts a scoped importer may not change: a person whose
    assigned regions or unit lie outside the importer's district (a city-wide office too)."""
    if scope.is_everything:
        return set()
    outside = set()
    people = (
        Person.objects.filter(user__in=list(users))
        .select_related("user", "unit__region")
        .prefetch_related("regions")
    )
    for person in people:
        regions = list(person.regions.all())
        name = person.user.username  # type: ignore[union-attr]
        if (
            person.unit is not None
            and not scope.covers_unit(person.unit)
            or any(not scope.covers(r) for r in regions)
        ):
            outside.add(name)
        elif not regions and person.role in (Role.OFFICE, Role.INSPECTOR):
            outside.add(name)  # the city office
    return outside


# --- the template -------------------------------------------------------------------------


def template_workbook() -> bytes:
    """An empty workbook with both sheets, their Chinese headers, drop-downs and a notes sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = xlsx.new_workbook(write_only=False)  # drop-down lists need a normal workbook
    units = xlsx.sheet(wb, "units", [(aliases[0], 16) for aliases in UNIT_COLUMNS.values()])
    people = xlsx.sheet(wb, "people", [(aliases[0], 16) for aliases in PEOPLE_COLUMNS.values()])
    kinds = DataValidation(type="list", formula1='"' + ",".join(KIND_LABELS.values()) + '"')
    kinds.add("C2:C5000")
    units.add_data_validation(kinds)
    roles = DataValidation(type="list", formula1='"' + ",".join(ROLE_LABELS.values()) + '"')
    roles.add("D2:D5000")
    people.add_data_validation(roles)
    xlsx.notes_sheet(
        wb,
        [
            "单位表（units）：单位编码、单位名称、单位类型必填；单位类型："
            + "、".join(KIND_LABELS.values()),
            "人员表（people）：账号、姓名、角色必填；角色：" + "、".join(ROLE_LABELS.values()),
            "责任单位联络员须填所属单位编码；网格员须填负责网格编码，多个编码用逗号或顿号分隔",
            "分包领导可填负责网格（或片区）编码和分包点位编码",
            "初始密码只用于新建账号；不填则账号暂不能登录，须由管理员设置密码",
            "初始密码至少 8 位，不能是纯数字、常见密码（如 password），也不能与账号或姓名相似",
            "表内任何一行有错误时整个文件都不导入；已有的编码、账号会被更新",
        ],
    )
    return xlsx.to_bytes(wb)
