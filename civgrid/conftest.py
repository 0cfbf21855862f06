import pytest

from civgrid.testing import build_world
from civgrid.testing_browser import browser, live_world  # noqa: F401 (fixtures for every test)


@pytest.fixture
def world(db):
    """The six personas, two grids and a unit (see civgrid.testing.build_world)."""
    return build_world()
