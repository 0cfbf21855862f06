"""Repairing stored free text: the forbidden characters of civgrid.lib.text removed from every
text column of civgrid's mutable models.

Run once by the migration civgrid_lib 0001_strip_control_characters (rows stored before input
refused them) and by `civgrid strip-control-characters` (after restoring an old backup).
Append-only records are left as they are and cleaned by the exporters on the way out: case
events (database triggers refuse UPDATE) and work-log entries (corrected by new entries, never
edited).
"""

from __future__ import annotations

from typing import Any

from django.apps.registry import Apps
from django.db import models

from civgrid.lib.text import FORBIDDEN_CLASS, strip_forbidden

APPEND_ONLY = frozenset({("cases", "caseevent"), ("worklogs", "worklog")})


def text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def strip_stored_text(apps: Apps, *, using: str = "default") -> dict[str, int]:
    """Remove forbidden characters from every text column of civgrid's mutable models;
    returns the rows changed per model ("cases.case": 3). The rows are found by the database
    (a regular expression on each column), so clean tables cost one scan each."""
    changed: dict[str, int] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("civgrid."):
            continue
        for model in config.get_models():
            meta = model._meta
            if (meta.app_label, meta.model_name) in APPEND_ONLY or meta.proxy:
                continue
            fields = text_fields(model)
            if not fields:
                continue
            dirty = models.Q()
            for name in fields:
                dirty |= models.Q(**{f"{name}__regex": FORBIDDEN_CLASS})
            manager: Any = model._base_manager.db_manager(using)
            n = 0
            for row in manager.filter(dirty).values("pk", *fields).iterator():
                fixed = {
                    name: strip_forbidden(value)
                    for name in fields
                    if isinstance(value := row[name], str) and strip_forbidden(value) != value
                }
                if fixed:
                    manager.filter(pk=row["pk"]).update(**fixed)
                    n += 1
            if n:
                changed[meta.label_lower] = n
    return changed
