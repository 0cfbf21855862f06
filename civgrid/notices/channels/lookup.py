"""Finding the channel for a code.

Every channel comes from `channels/registry.py`; a code it cannot give (unknown, or its module
not installed) is a permanent delivery failure. With CIVGRID_NOTICES_CONSOLE on, every channel
but the inbox is the console standing in for it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from civgrid.notices.channels import registry
from civgrid.notices.channels.base import Channel, DeliveryError
from civgrid.notices.channels.console import ConsoleChannel

# Tests put fake channels here (code -> instance); looked up before anything else.
OVERRIDES: dict[str, Channel] = {}


def get_channel(code: str) -> Channel:
    if code in OVERRIDES:
        return OVERRIDES[code]
    # A deployment's own channel classes (and the tests' fakes in a worker process).
    dotted = getattr(settings, "CIVGRID_NOTICES_CHANNEL_CLASSES", {}).get(code)
    if dotted:
        cls: type[Channel] = import_string(dotted)
        return cls()
    if code != "inbox" and (
        code == "console" or getattr(settings, "CIVGRID_NOTICES_CONSOLE", False)
    ):
        return ConsoleChannel(stands_for=code)
    try:
        return registry.get(code)
    except ImproperlyConfigured as exc:
        raise DeliveryError(str(exc), permanent=True) from exc
