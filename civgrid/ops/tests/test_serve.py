"""Production serving: DEBUG off unless asked, `check --deploy` clean with the HTTPS switches,
and `civgrid serve` preparing what DEBUG-off pages need before gunicorn starts."""

from __future__ import annotations

import io
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from civgrid.ops import serving

MANIFEST_STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
PRODUCTION_SWITCHES = {
    "CIVGRID_ALLOWED_HOSTS": "wm.example.gov.cn",
    "CIVGRID_HSTS_SECONDS": "31536000",
    "CIVGRID_HSTS_INCLUDE_SUBDOMAINS": "1",
    "CIVGRID_HSTS_PRELOAD": "1",
    "CIVGRID_SSL_REDIRECT": "1",
    "CIVGRID_SECURE_COOKIES": "1",
    "CIVGRID_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "CIVGRID_CSRF_TRUSTED_ORIGINS": "https://wm.example.gov.cn",
}


def civgrid(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The `civgrid` command in a fresh process with the production settings and only the
    CIVGRID_* variables given (none of the test run's)."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CIVGRID_") and k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    clean["CIVGRID_VAR_DIR"] = str(tmp_path / "var")
    return subprocess.run(
        [sys.executable, "-m", "civgrid.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def real_key() -> str:
    return secrets.token_urlsafe(50)


PRINT_DEBUG = ["shell", "-v", "0", "-c", "from django.conf import settings; print(settings.DEBUG)"]


def test_debug_is_off_unless_civgrid_debug_is_1(tmp_path):
    assert civgrid(tmp_path, *PRINT_DEBUG, CIVGRID_SECRET_KEY=real_key()).stdout.strip() == "False"
    assert civgrid(tmp_path, *PRINT_DEBUG, CIVGRID_DEBUG="1").stdout.strip() == "True"


def test_with_debug_off_and_no_secret_key_the_command_says_what_to_set_without_a_traceback(
    tmp_path,
):
    result = civgrid(tmp_path, "check")
    assert result.returncode != 0
    assert "CIVGRID_SECRET_KEY" in result.stderr and "CIVGRID_DEBUG=1" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_deploy_is_clean_with_the_production_switches(tmp_path):
    result = civgrid(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        CIVGRID_SECRET_KEY=real_key(),
        **PRODUCTION_SWITCHES,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_without_the_switches_names_what_is_missing(tmp_path):
    result = civgrid(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", CIVGRID_SECRET_KEY=real_key()
    )
    assert result.returncode != 0
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in result.stderr


def test_serve_refuses_the_demo_secret_key_even_with_debug_on(tmp_path):
    result = civgrid(tmp_path, "serve", "--prepare-only", CIVGRID_DEBUG="1")
    assert result.returncode != 0
    assert "refuses the demo secret key" in result.stderr and "CIVGRID_SECRET_KEY" in result.stderr


def test_serve_refuses_an_unmigrated_database_and_applies_the_migrations_when_asked(tmp_path):
    env = {"CIVGRID_DEBUG": "1", "CIVGRID_SECRET_KEY": real_key()}
    refused = civgrid(tmp_path, "serve", "--prepare-only", **env)
    assert refused.returncode != 0
    assert "unapplied migration" in refused.stderr and "civgrid migrate" in refused.stderr

    migrated = civgrid(tmp_path, "serve", "--prepare-only", "--migrate", **env)
    assert migrated.returncode == 0, migrated.stderr
    assert "migration(s) applied" in migrated.stdout

    again = civgrid(tmp_path, "serve", "--prepare-only", **env)
    assert again.returncode == 0 and "migrations up to date" in again.stdout


def test_without_the_prepare_step_a_debug_off_page_fails_on_the_missing_manifest(db, tmp_path):
    (tmp_path / "static").mkdir()
    with (
        override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=tmp_path / "static"),
        pytest.raises(ValueError, match="Missing staticfiles manifest entry"),
    ):
        Client().get(reverse("login"))


def test_after_the_prepare_step_a_debug_off_page_and_its_static_files_answer_200(db, tmp_path):
    with override_settings(STORAGES=MANIFEST_STORAGES, STATIC_ROOT=tmp_path / "static"):
        call_command("serve", "--prepare-only", stdout=io.StringIO())
        client = Client()
        page = client.get(reverse("login"))
        assert page.status_code == 200
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', page.content.decode())
        assert stylesheets, "the page links no stylesheet"
        for url in stylesheets:
            assert re.search(r"\.[0-9a-f]{12}\.css$", url), url  # the hashed name
            assert client.get(url).status_code == 200


@pytest.fixture
def small_static(tmp_path):
    """A static tree of one file, so collecting it is instant."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "site.css").write_text("body { color: black; }\n")
    with override_settings(
        STORAGES=MANIFEST_STORAGES,
        STATIC_ROOT=tmp_path / "static",
        STATICFILES_DIRS=[source],
        STATICFILES_FINDERS=["django.contrib.staticfiles.finders.FileSystemFinder"],
    ):
        yield source


def test_prepare_collects_when_the_manifest_is_missing_and_not_again_when_it_is_fresh(
    small_static,
):
    assert serving.prepare_static_files() is True
    assert serving.prepare_static_files() is False


def test_prepare_collects_again_when_a_source_file_changed(small_static):
    serving.prepare_static_files()
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    before = manifest.read_text()
    (small_static / "site.css").write_text("body { color: red; }\n")
    assert serving.prepare_static_files() is True
    assert manifest.read_text() != before


def test_gunicorn_runs_civgrid_wsgi_with_the_given_bind_workers_timeout_and_access_log():
    argv = serving.gunicorn_argv(
        bind="127.0.0.1:18299", workers=3, timeout=45, access_log="-", extra=["--log-level=info"]
    )
    assert argv[1:4] == ["-m", "gunicorn", "civgrid.wsgi:application"]
    line = " ".join(argv)
    assert "--bind 127.0.0.1:18299" in line and "--workers 3" in line
    assert "--timeout 45" in line and "--access-logfile -" in line and "--preload" in line
    assert argv[-1] == "--log-level=info"


def test_default_workers_are_twice_the_cores_plus_one_and_capped():
    workers = serving.default_workers()
    assert workers % 2 == 1 or workers == serving.MAX_WORKERS
    assert 3 <= workers <= serving.MAX_WORKERS
