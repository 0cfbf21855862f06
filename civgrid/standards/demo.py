"""The demo's evaluation framework: the shipped sample, imported as the current edition."""

from __future__ import annotations

import datetime as dt
import random

from civgrid.demo.district import District
from civgrid.standards import sample
from civgrid.standards.actions import import_framework


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    """Import data/sample-framework.xlsx (its units and categories are the demo's own)."""
    result = import_framework(
        sample.SAMPLE_PATH.read_bytes(),
        actor=getattr(district, "city_office", None) or district.office,  # the city's
        code=sample.SAMPLE_CODE,
        name=sample.SAMPLE_NAME,
        edition=sample.SAMPLE_EDITION,
        source_name=sample.SAMPLE_PATH.name,
        make_current=True,
    )
    if not result.ok:
        problems = "; ".join(f"row {p.row} {p.column}: {p.message}" for p in result.errors)
        raise RuntimeError(f"the sample framework does not import into the demo: {problems}")
