"""Tracking codes a resident can read out on the phone: no 0/O, 1/I/L confusion."""

from __future__ import annotations

import datetime as dt
import random
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

_random: random.Random = secrets.SystemRandom()


def seed(value: int | None) -> None:
    """Make codes reproducible (the demo district is built from a seed); None restores the
    system's random source, which production uses so codes cannot be guessed."""
    global _random
    _random = secrets.SystemRandom() if value is None else random.Random(value)


def tracking_code(day: dt.date) -> str:
    """E.g. 261125-K7QD3M: the report date then six random characters."""
    return f"{day:%y%m%d}-" + "".join(_random.choice(ALPHABET) for _ in range(6))
