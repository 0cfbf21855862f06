"""Template filters of the inspection pages."""

from __future__ import annotations

from django import template

from civgrid.inspections.scores import Line

register = template.Library()


@register.filter
def get_percent(line: Line | None, view: str) -> str:
    """A score line's percentage in the view asked ("raw" or "now"), e.g. "83.3%"."""
    if line is None:
        return "—"
    value = line.percent(view)
    return "—" if value is None else f"{value}%"
