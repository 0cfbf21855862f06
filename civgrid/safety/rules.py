"""The rectification deadline of a hidden danger: a plain function over the working-day calendar."""

from __future__ import annotations

import datetime as dt

from civgrid.cases.deadlines import due_after_workdays
from civgrid.safety.models import ChecklistItem


def rectification_due_at(item: ChecklistItem, found_at: dt.datetime) -> dt.datetime:
    """The end of the item's n-th working day after the day the hazard was found (that day
    itself does not count, as for every ledger deadline)."""
    return due_after_workdays(found_at, item.deadline_workdays)
