"""The export runner knows exporters only through the registry the apps fill: jobs.py imports
no exporter, and no exporter imports jobs.py (the import circle of issue 15)."""

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from civgrid.bulletins import jobs, registry
from civgrid.bulletins.models import ExportKind

BULLETINS = Path(jobs.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_every_kind_of_export_has_an_exporter_registered_by_its_app():
    assert set(jobs.exporters()) == set(ExportKind.values)


def test_the_runner_imports_no_exporter_and_the_exporters_do_not_import_the_runner():
    runner = set(imported_modules(BULLETINS / "jobs.py"))
    assert not {m for m in runner if "exporters" in m or "worklogs" in m}
    for path in (BULLETINS / "exporters.py", BULLETINS.parent / "worklogs" / "exports.py"):
        assert "civgrid.bulletins.jobs" not in set(imported_modules(path)), path


def test_a_kind_cannot_be_registered_twice_with_another_exporter():
    ledger = jobs.exporters()[ExportKind.LEDGER_XLSX]
    registry.register({ExportKind.LEDGER_XLSX: ledger})  # the same again is harmless
    other = registry.Exporter(".csv", ledger.count, ledger.write, ledger.name)
    with pytest.raises(ImproperlyConfigured):
        registry.register({ExportKind.LEDGER_XLSX: other})
