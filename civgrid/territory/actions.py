"""Every change to the territory: importing regions and grids (区划/网格导入)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from civgrid.lib.importing import ImportOutcome
from civgrid.org.queries import AnyUser
from civgrid.territory.imports import RegionRow, load_geojson, validate_regions
from civgrid.territory.models import Region

log = logging.getLogger(__name__)


@dataclass
class RegionImportResult(ImportOutcome):
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def import_regions(
    data: bytes | str | dict[str, Any], *, actor: AnyUser | None, dry_run: bool = False
) -> RegionImportResult:
    """Create or update regions from a GeoJSON FeatureCollection, all or nothing.

    Existing codes are updated, new ones created; parents may come later in the file. If any
    feature has an error nothing is written and the result lists every problem. `actor` is who
    imports (None for the command line); `dry_run` checks without writing.
    """
    if isinstance(data, dict):
        collection: Any = data
    else:
        collection, problem = load_geojson(data)
        if problem is not None:
            return RegionImportResult(problems=[problem], dry_run=dry_run)
    from civgrid.org.scope import scope_of

    # A district office imports only under its district; the command line (no actor) and the
    # city office anywhere.
    plan = validate_regions(collection, scope_of(actor) if actor is not None else None)
    result = RegionImportResult(problems=plan.problems, dry_run=dry_run)
    if plan.errors:
        return result
    with transaction.atomic():
        _write(plan.rows, result)
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        log.info(
            "regions imported by %s: %d created, %d updated",
            actor.get_username() if actor else "command line",
            len(result.created),
            len(result.updated),
        )
    return result


def _write(rows: list[RegionRow], result: RegionImportResult) -> None:
    # Parents before children: the file may list them in any order, but the levels say it.
    rows = sorted(rows, key=lambda r: (r.level, r.index))
    codes = {r.code for r in rows} | {r.parent_code for r in rows if r.parent_code}
    regions = {r.code: r for r in Region.objects.select_for_update().filter(code__in=codes)}
    for row in rows:
        region = regions.get(row.code)
        parent = regions[row.parent_code] if row.parent_code else None
        if region is None:
            region = Region(code=row.code, level=row.level)
            changed = True
            result.created.append(row.code)
        else:
            changed = False
        values: dict[str, Any] = {"name": row.name, "parent_id": parent.pk if parent else None}
        if row.households is not None:
            values["households"] = row.households
        if row.residents is not None:
            values["residents"] = row.residents
        if row.geometry is not None:
            values["geometry"] = row.geometry
        for attr, value in values.items():
            if getattr(region, attr) != value:
                setattr(region, attr, value)
                changed = True
        region.parent = parent
        if not changed:
            result.unchanged.append(row.code)
            continue
        if region.pk is not None:
            result.updated.append(row.code)
        region.save()  # a moved region takes its subtree's paths along (Region.save)
        regions[row.code] = region
