"""Settings of the worker process in test_killed_worker: the console channel is the fake
that records every call in a file (see fakes.FileRecorder)."""

from civgrid.settings_test import *  # noqa: F403

CIVGRID_NOTICES_CHANNEL_CLASSES = {"console": "civgrid.notices.tests.fakes.FileRecorder"}
# The worker under test reads the real database queue (the suite's settings run tasks at once).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
