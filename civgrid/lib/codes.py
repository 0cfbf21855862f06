"""Tracking codes a resident can read out on the phone: no 0/O, 1/I/L confusion."""

from __future__ import annotations

import datetime as dt
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def tracking_code(day: dt.date, rand: secrets.SystemRandom | None = None) -> str:
    """E.g. 261125-K7QD3M: the report date then six random characters."""
    r = rand or secrets.SystemRandom()
    return f"{day:%y%m%d}-" + "".join(r.choice(ALPHABET) for _ in range(6))
