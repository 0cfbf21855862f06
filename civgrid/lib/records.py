"""Append-only records (只增不改): history rows that are written once, never edited or deleted.

Case events, work logs, hours credits, enrolment and appraisal events all keep who did what and
when; a correction is a new row. `AppendOnly` is the abstract model they share, and
`ImmutableError` what an attempt to change one raises.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class ImmutableError(RuntimeError):
    """A history row was about to be edited or deleted."""


class AppendOnly(models.Model):
    """A row saved once: saving it again or deleting it raises ImmutableError."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError(f"{type(self).__name__} rows are never edited")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableError(f"{type(self).__name__} rows are never deleted")
