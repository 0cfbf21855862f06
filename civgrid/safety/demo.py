"""Demo safety checklists: the shipped sample, as the current edition."""

from __future__ import annotations

import datetime as dt
import random

from civgrid.demo.district import District
from civgrid.safety import sample
from civgrid.safety.actions import import_checklist


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    result = import_checklist(
        sample.workbook_bytes(),
        actor=district.office,
        code="2026",
        name="九小场所及企业安全检查表",
        source_name=sample.PATH.name,
        make_current=True,
    )
    assert result.ok, result.problems
