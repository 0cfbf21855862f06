"""Job functions the scheduler tests register (by dotted path, as apps do)."""

from django.utils import timezone

from civgrid.scheduling.registry import Attention
from civgrid.scheduling.tests.conftest import seen_slots


def record(slot):
    seen_slots.append(slot)
    return f"ran for {timezone.localtime(slot):%H:%M}"


def broken(slot):
    raise RuntimeError("the gateway is down")


def finds_something(slot):
    raise Attention("three plans have nobody assigned")
