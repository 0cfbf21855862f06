import pytest


@pytest.fixture(autouse=True)
def exports_inline(settings, tmp_path):
    """Exports run in the test's own thread and write under a fresh VAR_DIR."""
    settings.CIVGRID_EXPORT_RUNNER = "inline"
    settings.VAR_DIR = tmp_path
    return tmp_path
