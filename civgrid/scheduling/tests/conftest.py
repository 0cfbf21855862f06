import pytest

from civgrid.scheduling import registry

seen_slots: list = []


@pytest.fixture
def only_jobs(monkeypatch):
    """An empty schedule for the test to register its own jobs in; seen_slots records their runs."""
    monkeypatch.setattr(registry, "_JOBS", {})
    seen_slots.clear()
    return registry.register
