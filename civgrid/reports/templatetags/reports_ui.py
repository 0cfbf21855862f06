"""Small template filters of the reports pages."""

from __future__ import annotations

from typing import Any

from django import template

from civgrid.reports.indicators.rows import _hours

register = template.Library()


@register.filter
def hours(duration: Any) -> str:
    """A duration (a timedelta, or SQLite's microseconds) in hours, one decimal."""
    value = _hours(duration)
    return "—" if value is None else f"{value:.1f}"
