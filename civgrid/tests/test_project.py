"""Project-wide guards: the schema matches the models, the system checks pass."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command


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
