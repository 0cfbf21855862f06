"""Factories for the enterprise tests (plain functions with keyword overrides)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from openpyxl import Workbook

from civgrid.enterprises.models import Enterprise, EnterpriseDocument, Kind

_seq = itertools.count(1)
# Real codes as their holders publish them (阿里巴巴(中国)有限公司, 腾讯科技(深圳)有限公司,
# 华为技术有限公司, 中国石油化工股份有限公司, 小米科技有限责任公司).
REAL_CODES = (
    "91330100716105852F",
    "9144030071526726XG",
    "914403001922038216",
    "91110000710926094P",
    "91110108551385082Q",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def make_enterprise(grid, **kw: Any) -> Enterprise:
    n = next(_seq)
    now = timezone.now()
    defaults: dict[str, Any] = {
        "name": f"周口市测试企业{n}有限公司",
        "kind": Kind.ABOVE_SCALE,
        "address": f"七一路{n}号",
        "legal_person": "王建国",
        "legal_phone": "13912345678",
        "safety_person": "李安全",
        "safety_phone": "13787654321",
        "staff": 120,
        "created_at": now,
        "updated_at": now,
    }
    defaults.update(kw)
    return Enterprise.objects.create(grid=grid, **defaults)


def make_document(enterprise: Enterprise, kind: str, **kw: Any) -> EnterpriseDocument:
    doc = EnterpriseDocument(
        enterprise=enterprise,
        kind=kind,
        sha256="0" * 64,
        uploaded_at=kw.pop("uploaded_at", timezone.now()),
        **kw,
    )
    doc.file.save(f"test-{next(_seq)}.pdf", ContentFile(PDF), save=False)
    doc.save()
    return doc


def xlsx(rows: list[list[Any]], headers: list[str], title: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)
