"""The result rows of the indicators: one row of figures per group, and a place in a ranking."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from civgrid.reports.indicators.definitions import COUNTS, INDICATORS, IndicatorError

# --- the result rows -----------------------------------------------------------------------------


def percent(numerator: int, denominator: int) -> float | None:
    """numerator / denominator in percent, rounded half up to two places; None for 0/0."""
    if not denominator:
        return None
    value = (Decimal(100 * numerator) / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return float(value)


def _round2(value: float | None) -> float | None:
    if value is None:
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class IndicatorRow:
    """Every indicator for one group (or for everything when `group_by` was None)."""

    group: Any = None  # the key: a unit/grid/category/standard id, a source value, or None
    label: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    avg_hours: float | None = None
    p90_hours: float | None = None
    satisfaction_avg: float | None = None

    def value(self, key: str) -> int | float | None:
        """Any indicator of INDICATORS by its key."""
        indicator = INDICATORS.get(key)
        if indicator is None:
            raise IndicatorError(_("Unknown indicator “%(k)s”.") % {"k": key})
        if indicator.kind == "count":
            return self.counts[key]
        if indicator.kind == "rate":
            assert indicator.numerator and indicator.denominator
            return percent(self.counts[indicator.numerator], self.counts[indicator.denominator])
        return getattr(self, key)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        # row.closed, row.closure_rate, … read like attributes.
        if name in INDICATORS:
            return self.value(name)
        raise AttributeError(name)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"group": self.group, "label": self.label}
        out.update({key: self.value(key) for key in INDICATORS})
        return out


@dataclass(frozen=True)
class RankedRow:
    """A place in a ranking: equal values share a rank (1, 2, 2, 4); None: not ranked."""

    rank: int | None
    value: int | float | None
    row: IndicatorRow


def _hours(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # SQLite hands back microseconds for a duration
