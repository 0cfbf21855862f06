import pytest

from civgrid.testing import build_city, build_world
from civgrid.testing_browser import browser, live_world  # noqa: F401 (fixtures for every test)


@pytest.fixture
def world(db):
    """The six personas, two grids and a unit (see civgrid.testing.build_world)."""
    return build_world()


@pytest.fixture
def database_tasks(settings, transactional_db):
    """Tasks go to the real database queue (as in production) instead of running at once; run
    them with civgrid.scheduling.queue.run_database_worker(). Without the test's surrounding
    transaction, as the worker runs: it closes a connection it finds inside one."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def city(world):
    """build_world() under a city with a second district (see civgrid.testing.build_city)."""
    return build_city(world)
