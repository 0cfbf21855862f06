"""Demo enterprise files: ~165 enterprises and 九小 venues of every kind, through the actions.

Every file above designated size is complete ("规模以上企业已全部完成一企一档工作"); micro
enterprises and small venues are partly done (some documents missing, a few expired or
expiring), as the seed's "下一步推进微型企业一企一档" implies. The city's 九小 size limits are the
demo's own figures.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from civgrid.demo import names
from civgrid.demo.district import District
from civgrid.enterprises import actions, creditcode
from civgrid.enterprises.imports import EnterpriseRow
from civgrid.enterprises.models import REQUIRED_DOCUMENTS, Kind, SizeThreshold

# A scanned document stands in for each licence (a one-page PDF).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# How many of each kind (165 in all, as in the seed's campaign).
COUNTS = {
    Kind.ABOVE_SCALE: 28,
    Kind.MICRO: 47,
    Kind.SMALL_SHOP: 16,
    Kind.SMALL_EATERY: 18,
    Kind.SMALL_HOTEL: 9,
    Kind.SMALL_INTERNET_CAFE: 6,
    Kind.SMALL_BEAUTY_BATH: 10,
    Kind.SMALL_ENTERTAINMENT: 5,
    Kind.SMALL_SCHOOL: 9,
    Kind.SMALL_CLINIC: 8,
    Kind.SMALL_WORKSHOP: 9,
}
REGULATOR = {
    Kind.ABOVE_SCALE: "YJJ",
    Kind.MICRO: "YJJ",
    Kind.SMALL_SHOP: "SCJ",
    Kind.SMALL_EATERY: "SCJ",
    Kind.SMALL_HOTEL: "XFDD",
    Kind.SMALL_INTERNET_CAFE: "WGLJ",
    Kind.SMALL_BEAUTY_BATH: "SCJ",
    Kind.SMALL_ENTERTAINMENT: "WGLJ",
    Kind.SMALL_SCHOOL: "JTJ",
    Kind.SMALL_CLINIC: "WJW",
    Kind.SMALL_WORKSHOP: "YJJ",
}
# Share of files complete, by kind family.
COMPLETE = {Kind.ABOVE_SCALE: 1.0, Kind.MICRO: 0.55}
COMPLETE_SMALL = 0.75
WORDS = [
    "恒泰",
    "鑫源",
    "宏达",
    "华盛",
    "金鼎",
    "瑞丰",
    "永兴",
    "豫东",
    "中原",
    "汇通",
    "天成",
    "德润",
    "盛世",
    "昌隆",
    "福瑞",
    "众和",
    "兴业",
    "嘉禾",
]
INDUSTRY = [
    "食品",
    "纺织",
    "机械",
    "建材",
    "塑业",
    "印务",
    "电子",
    "包装",
    "药业",
    "物流",
    "农业科技",
    "制衣",
    "家具",
    "粮油",
]
VENUE_NAME = {
    Kind.SMALL_SHOP: ("{w}便利店", "{w}超市", "{s}日杂商店"),
    Kind.SMALL_EATERY: ("{n}烩面馆", "{w}小吃", "{n}家常菜", "{w}饺子馆"),
    Kind.SMALL_HOTEL: ("{w}宾馆", "{w}快捷酒店", "{s}旅社"),
    Kind.SMALL_INTERNET_CAFE: ("{w}网咖", "{w}网吧"),
    Kind.SMALL_BEAUTY_BATH: ("{w}美容美发", "{w}足浴", "{w}浴池"),
    Kind.SMALL_ENTERTAINMENT: ("{w}KTV", "{w}量贩歌厅"),
    Kind.SMALL_SCHOOL: ("{w}幼儿园", "{w}培训学校", "{w}托管中心"),
    Kind.SMALL_CLINIC: ("{n}诊所", "{s}社区卫生室", "{w}口腔诊所"),
    Kind.SMALL_WORKSHOP: ("{w}加工厂", "{w}木器厂", "{w}面粉加工坊"),
}
THRESHOLDS: dict[str, dict[str, Any]] = {
    Kind.SMALL_SHOP: {"max_floor_area": Decimal("300")},
    Kind.SMALL_EATERY: {"max_floor_area": Decimal("300"), "max_seats": 100},
    Kind.SMALL_HOTEL: {"max_floor_area": Decimal("500"), "max_beds": 50},
    Kind.SMALL_INTERNET_CAFE: {"max_floor_area": Decimal("200"), "max_seats": 100},
    Kind.SMALL_BEAUTY_BATH: {"max_floor_area": Decimal("200")},
    Kind.SMALL_ENTERTAINMENT: {"max_floor_area": Decimal("200")},
    Kind.SMALL_SCHOOL: {"max_floor_area": Decimal("300"), "max_staff": 30},
    Kind.SMALL_CLINIC: {"max_floor_area": Decimal("300"), "max_beds": 20},
    Kind.SMALL_WORKSHOP: {"max_floor_area": Decimal("500"), "max_staff": 30},
}


def credit_code(rng: random.Random, district_code: str, *, individual: bool) -> str:
    """A well-formed code of the demo district (91… a company, 92… an individual business)."""
    body = ("92" if individual else "91") + district_code[:6].ljust(6, "0")
    body += "".join(rng.choice(creditcode.ALPHABET) for _ in range(9))
    return body + creditcode.check_character(body)


def _name(rng: random.Random, kind: str) -> str:
    word = rng.choice(WORDS)
    if kind == Kind.ABOVE_SCALE:
        return f"周口{word}{rng.choice(INDUSTRY)}股份有限公司"
    if kind == Kind.MICRO:
        return f"周口市{word}{rng.choice(INDUSTRY)}有限公司"
    pattern = rng.choice(VENUE_NAME[Kind(kind)])
    return pattern.format(w=word, n=rng.choice(names.SURNAMES) + "记", s=rng.choice(names.STREETS))


def _size(rng: random.Random, kind: str) -> dict[str, object]:
    if kind == Kind.ABOVE_SCALE:
        return {"staff": rng.randint(80, 900), "floor_area": Decimal(rng.randint(3000, 40000))}
    if kind == Kind.MICRO:
        return {"staff": rng.randint(3, 19), "floor_area": Decimal(rng.randint(80, 900))}
    out: dict[str, object] = {
        "staff": rng.randint(1, 12),
        "floor_area": Decimal(rng.randint(20, 260)),
    }
    if kind in (Kind.SMALL_EATERY, Kind.SMALL_INTERNET_CAFE):
        out["seats"] = rng.randint(12, 90)
    if kind in (Kind.SMALL_HOTEL, Kind.SMALL_CLINIC):
        out["beds"] = rng.randint(4, 40)
    if rng.random() < 0.03:  # one or two have outgrown "small"
        out["floor_area"] = Decimal(rng.randint(320, 600))
    return out


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    """The files are opened at the start of the demo's window (its "now" is `end`)."""
    with time_machine.travel(end - dt.timedelta(days=days) + dt.timedelta(hours=9), tick=False):
        _populate(district, rng, end=end)


def _populate(district: District, rng: random.Random, *, end: dt.datetime) -> None:
    for kind, limits in THRESHOLDS.items():
        SizeThreshold.objects.update_or_create(kind=kind, defaults=limits)
    office: User = district.office
    today = timezone.localtime(end).date()
    codes: set[str] = set()
    for kind, count in COUNTS.items():
        unit = district.units.get(REGULATOR[kind])
        for _n in range(count):
            index = rng.randrange(len(district.grids))
            grid = district.grids[index]
            individual = kind not in (Kind.ABOVE_SCALE, Kind.MICRO)
            code = ""
            if not individual or rng.random() > 0.05:
                code = credit_code(rng, district.district.code, individual=individual)
                while code in codes:
                    code = credit_code(rng, district.district.code, individual=individual)
                codes.add(code)
            complete = rng.random() < COMPLETE.get(kind, COMPLETE_SMALL)
            data: dict[str, object] = {
                "kind": kind,
                "credit_code": code,
                "grid_id": grid.pk,
                "regulator_id": unit.pk if unit else None,
                "legal_person": names.person_name(rng),
                "legal_phone": names.mobile(rng),
                "safety_person": names.person_name(rng) if complete or rng.random() < 0.6 else "",
                "safety_phone": names.mobile(rng),
                **_size(rng, kind),
            }
            if not data["safety_person"]:
                data["safety_phone"] = ""
            street = rng.choice(district.grid_streets[index])
            row = EnterpriseRow(0, _name(rng, kind), f"{street}{rng.randint(1, 299)}号", code, data)
            enterprise = actions.register_enterprise(actor=office, row=row)
            required = list(REQUIRED_DOCUMENTS[kind])
            if not complete and len(required) > 1:
                required.remove(rng.choice(required[1:]))
            for doc_kind in required:
                issued = today - dt.timedelta(days=rng.randint(30, 900))
                expires = issued + dt.timedelta(days=365 * rng.choice((1, 3, 5)))
                if expires < today:
                    ahead = rng.randint(31, 400) if complete else rng.randint(-20, 400)
                    expires = today + dt.timedelta(days=ahead)
                actions.add_document(
                    actor=office,
                    enterprise=enterprise,
                    kind=doc_kind,
                    upload=PDF,
                    number=f"ZK{rng.randint(100000, 999999)}",
                    issued_on=issued,
                    expires_on=expires if doc_kind != "emergency_plan" else None,
                )
