"""The phone pages of fieldwork and visits share code through fieldwork/outbox.py and
visits/queries.py, never by importing each other's views (an import circle)."""

from __future__ import annotations

import ast
from pathlib import Path

import civgrid

ROOT = Path(civgrid.__file__).parent


def imported_modules(relative: str) -> set[str]:
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_fieldwork_and_visits_views_do_not_import_each_other():
    assert "civgrid.visits.views" not in imported_modules("fieldwork/views.py")
    assert "civgrid.fieldwork.views" not in imported_modules("visits/views.py")
