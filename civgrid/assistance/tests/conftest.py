import pytest

from civgrid.assistance.tests.factories import build_rolls


@pytest.fixture
def rolls(city):
    """The `city` world with each district's 民政, a community, households and programmes."""
    return build_rolls(city)
