"""The notices' part of the demo: the replayed history is not sent again.

The demo replays 90 days of cases through the real actions, and every step wrote its notices
as it would have then. Delivering all of them when `make demo` starts would put thousands of
stale messages in every bell and on the console. Deliveries due before the demo's last day are
recorded as skipped ("demo history"); those of the last day stay pending, so the worker sends
them and the bells show what happened yesterday.
"""

from __future__ import annotations

import datetime as dt

from civgrid.notices.models import Delivery

HISTORY_NOTE = "demo history: not sent"


def finish(*, end: dt.datetime) -> None:
    Delivery.objects.filter(
        status=Delivery.Status.PENDING, due_at__lt=end - dt.timedelta(days=1)
    ).update(status=Delivery.Status.SKIPPED, last_error=HISTORY_NOTE)
