"""The demo's replayed history does not fill the bells (civgrid/notices/demo.py)."""

import datetime as dt

import pytest

from civgrid.demo.actions import CORE_PARTS, build_demo, window_end
from civgrid.notices.demo import HISTORY_NOTE
from civgrid.notices.models import Delivery

TODAY = dt.date(2026, 3, 2)


@pytest.mark.django_db
def test_only_the_last_days_notices_wait_for_the_worker():
    build_demo(seed=2026, n_cases=60, today=TODAY, days=10, parts=CORE_PARTS)
    end = window_end(TODAY)
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING)
    history = Delivery.objects.filter(last_error=HISTORY_NOTE)
    assert history.exists()
    assert not pending.filter(due_at__lt=end - dt.timedelta(days=1)).exists()
    assert history.filter(due_at__gte=end - dt.timedelta(days=1)).count() == 0
    assert pending.exists()
