"""What changed between two editions of the framework, standard by standard (matched by code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from civgrid.standards.excel import SITE_KIND_LABELS
from civgrid.standards.models import Framework, Standard
from civgrid.territory.models import Site

# field -> label; the order in which changes are listed
FIELDS: dict[str, Any] = {
    "content": _("content"),
    "text": _("standard"),
    "points": _("points"),
    "site_kinds": _("site kinds"),
    "lead_unit": _("lead unit"),
    "co_units": _("co-responsible units"),
    "category": _("problem category"),
    "questions": _("checklist questions"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        return str(FIELDS[self.field])


@dataclass
class StandardChange:
    code: str
    old: Standard
    new: Standard
    changes: list[FieldChange]


@dataclass
class FrameworkDiff:
    old: Framework
    new: Framework
    added: list[Standard] = field(default_factory=list)
    removed: list[Standard] = field(default_factory=list)
    changed: list[StandardChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def points_delta(self) -> Decimal:
        return self.new.total_points() - self.old.total_points()


def _standards(framework: Framework) -> QuerySet[Standard]:
    return (
        framework.standards.select_related("content__item", "lead_unit", "category")
        .prefetch_related("co_unit_links__unit", "questions")
        .order_by("order", "code")
    )


def _kind_order(kind: str) -> int:
    return Site.Kind.values.index(kind) if kind in Site.Kind.values else len(Site.Kind.values)


def comparable(standard: Standard) -> dict[str, str]:
    """A standard's fields as the text a person compares (units and categories by name)."""
    content = standard.content
    return {
        "content": f"{content.item.code} {content.item.name} / {content.code} {content.name}",
        "text": standard.text,
        "points": str(standard.points.normalize()),
        "site_kinds": "、".join(
            SITE_KIND_LABELS.get(k, k) for k in sorted(standard.site_kinds, key=_kind_order)
        ),
        "lead_unit": standard.lead_unit.name if standard.lead_unit else "",
        "co_units": "、".join(u.name for u in standard.ordered_co_units()),
        "category": standard.category.name if standard.category else "",
        "questions": "\n".join(q.text for q in standard.questions.all()),
    }


def diff(old: Framework, new: Framework) -> FrameworkDiff:
    """Standards added, removed and changed from `old` to `new`, matched by standard code."""
    result = FrameworkDiff(old=old, new=new)
    before = {s.code: s for s in _standards(old)}
    after = {s.code: s for s in _standards(new)}
    for code, standard in after.items():
        if code not in before:
            result.added.append(standard)
            continue
        was, now = comparable(before[code]), comparable(standard)
        changes = [
            FieldChange(name, was[name], now[name]) for name in FIELDS if was[name] != now[name]
        ]
        if changes:
            result.changed.append(StandardChange(code, before[code], standard, changes))
        else:
            result.unchanged += 1
    result.removed = [s for code, s in before.items() if code not in after]
    return result
