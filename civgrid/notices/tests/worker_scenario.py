"""Steps of test_killed_worker and bench/notices.py, run in their own processes against a
file database: `python -m civgrid.notices.tests.worker_scenario seed N | finish | count`."""

from __future__ import annotations

import datetime as dt
import os
import sys

import django


def seed(n: int) -> None:
    """N office people and an event that reaches each of them through the console only."""
    from django.db import transaction
    from django.utils import timezone

    from civgrid.notices import outbox
    from civgrid.notices.models import Event, NoticeRule, Recipient
    from civgrid.org.models import Role
    from civgrid.testing import make_person

    NoticeRule.objects.update_or_create(
        event=Event.BAD_RATING, recipient=Recipient.OFFICE, defaults={"channels": ["console"]}
    )
    for i in range(n):
        make_person(Role.OFFICE, username=f"office{i}")
    with transaction.atomic():  # the deliver task is enqueued when this commits
        outbox.write(Event.BAD_RATING, case=None, now=timezone.now(), slot="seed")


def finish() -> None:
    """What the next worker does after the killed one's claims have gone stale."""
    from django.utils import timezone

    from civgrid.notices import delivery

    delivery.deliver_due(timezone.now() + delivery.CLAIM_TIMEOUT + dt.timedelta(minutes=1))


def states() -> None:
    from django.db.models import Count

    from civgrid.notices.models import Delivery

    for row in Delivery.objects.values("status").annotate(n=Count("id")).order_by("status"):
        print(row["status"], row["n"])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civgrid.notices.tests.worker_settings")
    django.setup()
    step = sys.argv[1]
    if step == "seed":
        seed(int(sys.argv[2]))
    elif step == "finish":
        finish()
    else:
        states()
