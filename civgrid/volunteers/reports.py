"""Figures, rankings and documents of the volunteer side: the figures page and its workbook,
the flat export for the national volunteer system, the service record certificate (Word)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from civgrid.bulletins import word
from civgrid.lib import xlsx
from civgrid.org.models import Role
from civgrid.org.queries import role_of
from civgrid.volunteers import hours, stats
from civgrid.volunteers.queries import STAFF_ROLES, get_volunteer_for_user, may_see_full_contact
from civgrid.volunteers.views import XLSX, _record, _require

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def period(request: HttpRequest) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    """The period of ?start=&end= (Beijing dates, both included); default: this year so far."""
    today = timezone.localdate()
    first = parse_date(request.GET.get("start") or "") or today.replace(month=1, day=1)
    last = parse_date(request.GET.get("end") or "") or today
    if last < first:
        first, last = last, first
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(first, dt.time.min), zone)
    end = timezone.make_aware(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), zone)
    return first, last, start, end


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    """Volunteers, activities, hours, person-times and rankings (志愿服务统计)."""
    _require(request, STAFF_ROLES)
    first, last, start, end = period(request)
    data = stats.figures(request.user, start, end)
    return render(
        request,
        "volunteers/figures.html",
        {"f": data, "first": first, "last": last, "thresholds": hours.star_thresholds()},
    )


@login_required
@require_GET
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    _require(request, STAFF_ROLES)
    first, last, start, end = period(request)
    f = stats.figures(request.user, start, end)
    book = xlsx.new_workbook()
    caption = f"志愿服务统计 {first:%Y-%m-%d}—{last:%Y-%m-%d}"
    ws = xlsx.sheet(book, "总体", [("指标", 24), ("数值", 16)], caption=caption)
    for label, value in (
        ("在册志愿者", f.registered),
        ("其中党员志愿者", f.party_members),
        ("期间参与服务人数", f.active),
        ("开展活动次数", f.activities),
        ("服务时长（小时）", f.hours),
        ("服务人次", f.person_times),
    ):
        xlsx.append(ws, [label, value])
    for title, rows in (
        ("按类别", f.by_category),
        ("按队伍", f.by_team),
        ("按社区网格", f.by_community),
    ):
        ws = xlsx.sheet(book, title, [("名称", 30), ("志愿者人数", 14)], caption=caption)
        for row in rows:
            xlsx.append(ws, list(row))
    ws = xlsx.sheet(
        book, "队伍排名", [("队伍", 30), ("服务时长", 14), ("服务人次", 14)], caption=caption
    )
    for team_row in f.top_teams:
        xlsx.append(ws, list(team_row))
    return _download(xlsx.to_bytes(book), XLSX, f"志愿服务统计{first:%Y%m%d}-{last:%Y%m%d}.xlsx")


@login_required
@require_GET
def national_export(request: HttpRequest) -> HttpResponse:
    """One row per volunteer × activity with the hours, for upload to the national volunteer
    system (全国志愿服务信息系统); full ID numbers, so the office only."""
    if role_of(request.user) != Role.OFFICE:
        raise PermissionDenied
    first, last, start, end = period(request)
    book = xlsx.new_workbook()
    ws = xlsx.sheet(
        book,
        "服务时长",
        [
            ("姓名", 12),
            ("证件类型", 10),
            ("证件号码", 22),
            ("手机号", 14),
            ("活动名称", 24),
            ("服务类别", 12),
            ("开始时间", 18),
            ("结束时间", 18),
            ("服务地点", 24),
            ("服务时长（小时）", 14),
        ],
    )
    for row in stats.national_rows(request.user, start, end).iterator():
        xlsx.append(
            ws,
            [
                row["volunteer__name"],
                "居民身份证",
                row["volunteer__id_number"],
                row["volunteer__phone"],
                row["activity__title"],
                row["activity__category__name"],
                xlsx.local(row["activity__starts_at"]),
                xlsx.local(row["activity__ends_at"]),
                row["activity__place"],
                row["h"],
            ],
        )
    return _download(
        xlsx.to_bytes(book), XLSX, f"志愿服务时长导出{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
    )


@login_required
@require_GET
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The service record certificate (志愿服务记录证明) of a volunteer, as Word: for the
    office and the community, or the volunteer for themselves."""
    volunteer = get_volunteer_for_user(request.user, pk)
    record: dict[str, Any] = _record(volunteer)
    doc = word.new_document()
    word.title(doc, "志愿服务记录证明")
    id_number = (
        volunteer.id_number if may_see_full_contact(request.user) else volunteer.masked_id_number()
    )
    team = volunteer.team.name if volunteer.team else "—"
    word.paragraph(
        doc,
        f"兹证明 {volunteer.name}（身份证号 {id_number}）为注册志愿者，所属队伍：{team}，"
        f"截至 {timezone.localdate():%Y年%m月%d日} 累计志愿服务时长 {record['total']} 小时，"
        f"星级 {record['level']} 星。",
    )
    for level, at in record["levels"]:
        word.paragraph(doc, f"{level}星级：{timezone.localtime(at):%Y年%m月%d日}达到")
    word.heading(doc, "服务记录")
    credits = record["credits"]
    word.table(
        doc,
        ["活动", "日期", "类型", "时长（小时）"],
        [
            [
                c.activity.title,
                f"{timezone.localtime(c.activity.starts_at):%Y-%m-%d}",
                c.get_kind_display(),
                word.number(c.hours),
            ]
            for c in credits
        ],
    )
    word.paragraph(doc, "（本证明由 civgrid 依据组织者确认的签到签退记录生成。）")
    out = io.BytesIO()
    doc.save(out)
    return _download(out.getvalue(), DOCX, f"志愿服务记录证明-{volunteer.name}.docx")


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
