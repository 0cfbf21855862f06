"""The deliver task (django-tasks): run after the commit that wrote notices, and again when
the next waiting delivery falls due (batch window, quiet hours, back-off)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from civgrid.notices import delivery

# A run defers the next to the next waiting delivery, but not further than this: the
# periodic `notices.deliver` job catches whatever is later (and stale claims).
MAX_DEFER = dt.timedelta(hours=1)


@task()
def deliver() -> int:
    sent = delivery.deliver_due(timezone.now())
    nxt = delivery.next_due_at()
    now = timezone.now()
    if nxt is not None and now < nxt <= now + MAX_DEFER:
        deliver.using(run_after=nxt).enqueue()
    return sent
