"""Project-wide guards: the schema matches the models, the system checks pass."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from civgrid.cases.workflow import workflow_markdown


@pytest.mark.parametrize("hash_seed", ["1", "2"])
def test_the_migrations_match_the_models_whatever_the_hash_seed(hash_seed):
    # A set iterated into a migration (say, an index condition) changes with PYTHONHASHSEED;
    # run makemigrations in fresh processes so such flapping shows up here.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run(
        [sys.executable, "-m", "civgrid.cli", "makemigrations", "--check", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_system_checks_pass(db):
    call_command("check", "--fail-level", "WARNING")


def test_the_workflow_document_is_the_table_in_the_code():
    doc = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
    assert doc.read_text(encoding="utf-8") == workflow_markdown(), (
        "docs/workflow.md is stale: run `civgrid workflow-table > docs/workflow.md`"
    )
