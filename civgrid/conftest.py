import pytest

from civgrid.testing import build_world


@pytest.fixture
def world(db):
    """The six personas, two grids and a unit (see civgrid.testing.build_world)."""
    return build_world()
