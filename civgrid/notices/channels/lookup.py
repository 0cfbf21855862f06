"""Finding the channel for a code.

The channel classes of the outside world (email, sms, wecom, dingtalk, webpush) live in
`channels/registry.py`, written in parallel with this app; until it exists, and for the two
channels this app owns (inbox, console), this falls back to them. With
CIVGRID_NOTICES_CONSOLE on, every outside channel is the console standing in for it.
"""

from __future__ import annotations

import importlib

from django.conf import settings
from django.utils.module_loading import import_string

from civgrid.notices.channels.base import Channel, DeliveryError
from civgrid.notices.channels.console import ConsoleChannel
from civgrid.notices.channels.inbox import InboxChannel

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
    if code == "inbox":
        return InboxChannel()
    if code == "console" or getattr(settings, "CIVGRID_NOTICES_CONSOLE", False):
        return ConsoleChannel(stands_for=code)
    try:
        registry = importlib.import_module("civgrid.notices.channels.registry")
    except ModuleNotFoundError as exc:
        raise DeliveryError(f"channel {code} is not installed", permanent=True) from exc
    try:
        channel: Channel = registry.get(code)
    except (KeyError, LookupError) as exc:
        raise DeliveryError(f"unknown channel {code}", permanent=True) from exc
    return channel
