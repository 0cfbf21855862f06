"""Settings for the test suite: the same as production's, made fast and isolated."""

import os

os.environ.setdefault("CIVGRID_VAR_DIR", "/tmp/civgrid-test-var")
# DEBUG is off as in production, so the demo key would be refused: tests have their own.
os.environ.setdefault("CIVGRID_SECRET_KEY", "civgrid-tests-only-" + "k" * 40)

from civgrid.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
# WhiteNoise warns about a missing STATIC_ROOT; tests serve static files through the finders.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
DEBUG = False
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Assertions read the English msgids; test_i18n checks the Chinese default separately.
LANGUAGE_CODE = "en"
# Tasks (exports, scheduled runs) run at once in the caller, so tests see the finished job;
# the tests of the worker itself switch to the database backend (civgrid.testing.db_tasks).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CIVGRID_NOTICES_CONSOLE = False
# A second database for the read-replica tests (civgrid/ops/tests/test_replica.py), created only
# for the tests that ask for it; reads go to it only where a test sets CIVGRID_READ_REPLICA.
DATABASES["replica"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "TEST": {
        "NAME": str(VAR_DIR / "test-replica.sqlite3")  # noqa: F405
        if DATABASES["default"]["ENGINE"].endswith("sqlite3")  # noqa: F405
        else f"test_{DATABASES['default']['NAME']}_replica"  # noqa: F405
    },
}
