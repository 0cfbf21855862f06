"""Channel codes and the channel behind each: `get("sms")` is a ready SmsChannel configured from
settings. The codes are stored in the database (rules, deliveries), so they never change.

Each channel lives in the module of its code (`civgrid.notices.channels.<code>`) and is found
there by its `code`, imported only when first asked for: a deployment without Web Push never
loads pywebpush, and a channel module missing from this checkout is a clear
ImproperlyConfigured, not an ImportError in the middle of a delivery.
"""

from __future__ import annotations

from importlib import import_module

from django.core.exceptions import ImproperlyConfigured

from civgrid.notices.channels.base import Channel
from civgrid.notices.models import ChannelCode

CODES = tuple(ChannelCode.values)  # the codes rules and deliveries store


def channel_class(code: str) -> type[Channel]:
    if code not in CODES:
        raise ImproperlyConfigured(
            f"Unknown notice channel {code!r}; channels: {', '.join(CODES)}."
        )
    module_name = f"{__package__}.{code}"
    try:
        module = import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:
            raise  # the module exists but something it imports is missing: show that
        raise ImproperlyConfigured(
            f"The {code!r} channel is not installed ({module_name})."
        ) from exc
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Channel)
            and value.__module__ == module_name
            and value.code == code
        ):
            return value
    raise ImproperlyConfigured(f"{module_name} defines no Channel with code {code!r}.")


def get(code: str) -> Channel:
    """The channel for `code`, reading its settings now (so a changed setting takes effect)."""
    return channel_class(code)()


def labels() -> dict[str, str]:
    """code -> label of the channels installed here, in CODES order (for forms and lists)."""
    found = {}
    for code in CODES:
        try:
            found[code] = channel_class(code).label
        except ImproperlyConfigured:
            continue
    return found
