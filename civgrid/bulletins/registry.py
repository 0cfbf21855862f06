"""What an export is (`Exporter`) and which exist: each app registers its own from its
AppConfig.ready (bulletins: the ledger and the bulletin; worklogs: the work-log workbook and
the briefing), so the runner (civgrid.bulletins.jobs) imports no exporter and no exporter
imports the runner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Exporter:
    """How to write one kind of export: count its rows, write it, name the download."""

    suffix: str
    count: Callable[[Any, dict[str, Any], dt.datetime], int]
    write: Callable[[Any, dict[str, Any], dt.datetime, Path, Progress], int]
    name: Callable[[dict[str, Any], dt.datetime], str]


_EXPORTERS: dict[str, Exporter] = {}


def register(exporters: Mapping[str, Exporter]) -> None:
    """Add an app's exporters (ExportKind value → Exporter); a kind is registered once."""
    for kind, exporter in exporters.items():
        known = _EXPORTERS.get(kind)
        if known is not None and known != exporter:
            raise ImproperlyConfigured(f"Two exporters for the export kind {kind!r}.")
        _EXPORTERS[kind] = exporter


def registered() -> dict[str, Exporter]:
    return dict(_EXPORTERS)
