import pytest


@pytest.fixture(autouse=True)
def exports_inline(settings, tmp_path):
    """Exports (tasks run at once in tests, settings_test.TASKS) write under a fresh VAR_DIR."""
    settings.VAR_DIR = tmp_path
    return tmp_path
