"""Logging in: the lockout after repeated failures (django-axes) and what it tells the person.

django-axes counts failed logins per user name and client address (civgrid.lib.clientip) and
refuses that pair for a cool-off after settings.AXES_FAILURE_LIMIT failures; the login page,
the admin and the API token endpoint all authenticate through the backend below, so one count
covers them all. Settings and unlocking: docs/operations.md.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext


class LockoutBackend(AxesStandaloneBackend):
    """Axes's check, for every authentication that comes with a request.

    Without a request (the shell, the test client's login) there is no address to count and
    nothing to lock: axes itself would raise instead, so those calls are let through to the
    password check. Every login a person can reach (page, admin, API) passes its request.
    """

    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]


def retry_at(request: Any) -> datetime:
    """When a locked-out pair may try again: a cool-off after this (refused) attempt."""
    attempted = getattr(request, "axes_attempt_time", None) or timezone.now()
    return attempted + (get_cool_off(request) or timedelta(0))


def retry_after_seconds(request: Any) -> int:
    return max(1, math.ceil((retry_at(request) - timezone.now()).total_seconds()))


def lockout_message(request: Any) -> str:
    """The refusal in the person's language, with the local time to try again."""
    return gettext(
        "Too many failed log-in attempts for this account from this address. "
        "Try again after %(time)s."
    ) % {"time": time_format(timezone.localtime(retry_at(request)), "H:i")}
