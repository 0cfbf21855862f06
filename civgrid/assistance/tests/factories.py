"""Factories of the assistance tests: valid ID numbers, programmes, a roll world."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone
from stdnum.cn import ric

from civgrid.assistance import actions
from civgrid.assistance.models import Beneficiary, Programme, Standard
from civgrid.org.models import Role, Unit
from civgrid.testing import make_person, make_unit
from civgrid.visits.models import Household

_seq = itertools.count(1)
NOW = dt.datetime(2026, 3, 10, 2, 0, tzinfo=dt.UTC)


def id_number(birth: dt.date, *, region: str = "411602", serial: int | None = None) -> str:
    """A valid 18-character ID number (GB 11643 check digit) for a birth date."""
    body = f"{region}{birth:%Y%m%d}{(serial or next(_seq)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def make_household(grid: Any, **kw: Any) -> Household:
    n = next(_seq)
    now = timezone.now()
    defaults: dict[str, Any] = {
        "code": f"HH{n:05d}",
        "address": f"七一路{n}号",
        "head_name": f"户主{n}",
        "created_at": now,
        "updated_at": now,
    }
    defaults.update(kw)
    return Household.objects.create(grid=grid, **defaults)


def make_programme(
    unit: Unit,
    *,
    bands: dict[tuple[int, int | None], str] | None = None,
    valid_from: dt.date = dt.date(2025, 1, 1),
    **kw: Any,
) -> Programme:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "code": f"P{n:03d}",
        "name": f"项目{n}",
        "kind": Programme.Kind.DIBAO_URBAN,
        "basis": Programme.Basis.PERSON,
    }
    defaults.update(kw)
    programme = Programme.objects.create(unit=unit, **defaults)
    for (low, high), amount in (bands or {(0, None): "600.00"}).items():
        Standard.objects.create(
            programme=programme,
            valid_from=valid_from,
            min_age=low,
            max_age=high,
            amount=Decimal(amount),
            created_at=dt.datetime(2024, 12, 1, tzinfo=dt.UTC),
        )
    return programme


def elderly(unit: Unit, **kw: Any) -> Programme:
    """高龄补贴 with the usual bands: 80–89 50 元, 90–99 100 元, 100+ 300 元; checked quarterly."""
    defaults: dict[str, Any] = {
        "name": "高龄补贴",
        "kind": Programme.Kind.ELDERLY,
        "min_age": 80,
        "check_frequency": "quarterly",
        "bands": {(80, 90): "50.00", (90, 100): "100.00", (100, None): "300.00"},
    }
    defaults.update(kw)
    return make_programme(unit, **defaults)


def build_rolls(w: SimpleNamespace) -> SimpleNamespace:
    """On top of the `city` fixture: each district's 民政 (two clerks in 川汇区, one in 淮阳区), a
    community with its clerk in each, households, and a 低保 and a 高龄 programme per district."""
    w.mz_unit = make_unit(name="川汇区民政局", code="CH-MZ", region=w.district)
    w.mz = make_person(Role.UNIT_CLERK, username="minzheng", unit=w.mz_unit, name="民政王科长")
    w.mz_b = make_person(Role.UNIT_CLERK, username="minzheng2", unit=w.mz_unit, name="民政刘科员")
    w.community_unit = make_unit(
        name="国槐社区居委会", code="CH-GH", kind=Unit.Kind.VILLAGE, region=w.district
    )
    # The community's territory is grid A only: grid B belongs to another community.
    w.community = make_person(
        Role.UNIT_CLERK,
        username="community",
        unit=w.community_unit,
        name="社区陈主任",
        regions=[w.grid_a],
    )
    w.mz2_unit = make_unit(name="淮阳区民政局", code="HY-MZ", region=w.district2)
    w.mz2 = make_person(Role.UNIT_CLERK, username="minzheng_hy", unit=w.mz2_unit, name="淮阳民政")
    w.community2_unit = make_unit(
        name="龙湖社区居委会", code="HY-LH", kind=Unit.Kind.VILLAGE, region=w.district2
    )
    w.community2 = make_person(
        Role.UNIT_CLERK,
        username="community_hy",
        unit=w.community2_unit,
        name="龙湖社区",
        regions=[w.grid2],
    )
    w.home_a = make_household(w.grid_a, code="GH-001", address="国槐街1号")
    w.home_a2 = make_household(w.grid_a, code="GH-002", address="国槐街5号")
    w.home_b = make_household(w.grid_b, code="FM-001", address="富民路2号")
    w.home2 = make_household(w.grid2, code="LH-001", address="龙湖路3号")
    w.dibao = make_programme(w.mz_unit, name="城市低保", code="CH-DB")
    w.elderly = elderly(w.mz_unit, code="CH-GL")
    w.dibao2 = make_programme(w.mz2_unit, name="淮阳低保", code="HY-DB")
    return w


def enrol(
    w: SimpleNamespace,
    *,
    programme: Programme | None = None,
    household: Household | None = None,
    approve: bool = True,
    birth: dt.date = dt.date(1950, 5, 1),
    **kw: Any,
) -> Beneficiary:
    """An enrolment proposed by the community (or 民政 of district 2) and approved by 民政."""
    programme = programme or w.dibao
    household = household or w.home_a
    second = programme.unit_id == w.mz2_unit.pk
    defaults: dict[str, Any] = {
        "name": f"居民{next(_seq)}",
        "id_number": id_number(birth, region="411603" if second else "411602"),
        "applied_on": dt.date(2026, 1, 5),
        "starts_on": dt.date(2026, 2, 1),
        "bank_name": "周口农商银行",
        "bank_account": "6230520460001234567",
    }
    defaults.update(kw)
    proposer = (
        (w.community2 if second else w.community)
        if household.grid_id in (w.grid_a.pk, w.grid2.pk)
        else w.mz
    )
    b = actions.propose_enrolment(
        actor=proposer.user, programme=programme, household=household, **defaults
    )
    if approve:
        approver = w.mz2 if second else (w.mz_b if proposer == w.mz else w.mz)
        b = actions.approve_enrolment(b, actor=approver.user)
    return b
