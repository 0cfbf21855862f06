"""Factories for the safety tests: a checklist, a campaign with a group, an enterprise."""

from __future__ import annotations

import io
from types import SimpleNamespace

from django.utils import timezone
from openpyxl import Workbook

from civgrid.enterprises.models import Kind
from civgrid.enterprises.tests.factories import REAL_CODES, make_enterprise
from civgrid.safety import campaigns
from civgrid.safety.actions import import_checklist
from civgrid.safety.checks import ItemAnswer
from civgrid.safety.models import ChecklistItem
from civgrid.testing import make_category

ROWS = [
    ["XF-01", "消防安全", "安全出口畅通", "全部", "重大", 1],
    ["XF-05", "消防安全", "灭火器在有效期内", "全部", "一般", 5],
    ["SP-01", "食品安全", "健康证齐全", "小餐饮", "一般", 3],
]


def checklist_bytes(rows=ROWS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["编码", "类别", "检查内容", "适用场所", "隐患等级", "整改期限"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def build_campaign(w: SimpleNamespace) -> SimpleNamespace:
    """On build_world(): the checklist, a 消防安全 category, an eatery and a hotel in grid A
    regulated by the clerk's unit, a campaign over the district, one group (worker A and the
    inspector) holding both venues."""
    assert import_checklist(checklist_bytes(), actor=None, code="T", name="检查表").ok
    w.fire = make_category(name="消防安全", code="AQ-XF", default_unit=w.unit)
    w.food = make_category(name="食品安全", code="AQ-SP", default_unit=w.other_unit)
    w.eatery = make_enterprise(
        w.grid_a,
        name="老张烩面馆",
        kind=Kind.SMALL_EATERY,
        regulator=w.unit,
        credit_code=REAL_CODES[0],
        safety_person="张师傅",
    )
    w.hotel = make_enterprise(w.grid_a, name="国槐宾馆", kind=Kind.SMALL_HOTEL, regulator=w.unit)
    today = timezone.localdate()
    w.campaign = campaigns.plan_campaign(
        actor=w.office.user,
        name="冬春火灾防控专项检查",
        region=w.district,
        starts_on=today,
        ends_on=today,
    )
    w.group = campaigns.form_group(
        w.campaign, actor=w.office.user, name="第一检查组", members=[w.worker_a, w.inspector]
    )
    campaigns.divide(w.campaign, actor=w.office.user, by="grid", now=timezone.now())
    w.assignment_eatery = w.campaign.assignments.get(enterprise=w.eatery)
    w.assignment_hotel = w.campaign.assignments.get(enterprise=w.hotel)
    w.items = {i.code: i for i in ChecklistItem.objects.all()}
    return w


def answers(w, *, failed=(), on_spot=(), kind="eatery", photos=()):
    codes = ["XF-01", "XF-05"] + (["SP-01"] if kind == "eatery" else [])
    return [
        ItemAnswer(
            w.items[c],
            passed=c not in failed and c not in on_spot,
            note="安全出口堆放杂物" if c in failed else "",
            fixed_on_spot=c in on_spot,
            fix_note="已当场清理" if c in on_spot else "",
            photos=photos if (c in failed or c in on_spot) else (),
        )
        for c in codes
    ]
