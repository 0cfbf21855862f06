"""The exports this app writes: the ledger workbook and the periodic bulletin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.bulletins.ledger import ledger_cases, write_ledger
from civgrid.bulletins.models import ExportKind
from civgrid.bulletins.registry import Exporter, Progress


def _ledger_filters(params: dict[str, Any]) -> dict[str, Any]:
    return dict(params.get("filters") or {})


def count_ledger(user: Any, params: dict[str, Any], now: dt.datetime) -> int:
    return ledger_cases(user, _ledger_filters(params), now).count()


def write_ledger_job(
    user: Any, params: dict[str, Any], now: dt.datetime, path: Path, progress: Progress
) -> int:
    return write_ledger(
        path, ledger_cases(user, _ledger_filters(params), now), now, progress=progress
    )


def ledger_name(params: dict[str, Any], now: dt.datetime) -> str:
    return _("ledger-%(day)s.xlsx") % {"day": timezone.localtime(now).strftime("%Y%m%d-%H%M")}


def count_bulletin(user: Any, params: dict[str, Any], now: dt.datetime) -> int:
    return 1


def write_bulletin_job(
    user: Any, params: dict[str, Any], now: dt.datetime, path: Path, progress: Progress
) -> int:
    from civgrid.bulletins.bulletin import write_bulletin
    from civgrid.reports.periods import Period

    write_bulletin(path, Period.parse(params["period"]), user=user, now=now)
    progress(1)
    return 1


def bulletin_name(params: dict[str, Any], now: dt.datetime) -> str:
    return _("bulletin-%(period)s.docx") % {"period": params.get("period")}


EXPORTERS: dict[str, Exporter] = {
    ExportKind.LEDGER_XLSX: Exporter(".xlsx", count_ledger, write_ledger_job, ledger_name),
    ExportKind.BULLETIN_DOCX: Exporter(".docx", count_bulletin, write_bulletin_job, bulletin_name),
}
