"""What the checklists hold for a venue kind (the one place a check's items come from)."""

from __future__ import annotations

from django.db.models import QuerySet

from civgrid.org.models import Role
from civgrid.safety.models import Checklist, ChecklistItem

# Who may read the checklists (everyone who checks or keeps files).
CHECKLIST_ROLES = frozenset(
    {Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.UNIT_CLERK, Role.GRID_WORKER}
)


def items_for_kind(kind: str, checklist: Checklist | None = None) -> list[ChecklistItem]:
    """The items of an edition (default: the current one) that apply to a venue kind, in the
    sheet's order; empty before any import."""
    checklist = checklist or Checklist.current()
    if checklist is None:
        return []
    return [item for item in checklist.items.all() if item.applies_to(kind)]


def editions() -> QuerySet[Checklist]:
    return Checklist.objects.all()
