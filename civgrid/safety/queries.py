"""What the checklists hold for a venue kind (the one place a check's items come from)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import scope_of
from civgrid.safety.models import Assignment, Campaign, Checklist, ChecklistItem

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


# --- campaigns and assignments --------------------------------------------------------------

CAMPAIGN_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR})


def campaigns_for_user(user: AnyUser | None) -> QuerySet[Campaign]:
    """The office and inspectors: campaigns over regions in their scope; members of a group:
    their groups' campaigns; others none."""
    role = role_of(user)
    if role in CAMPAIGN_ROLES:
        return scope_of(user).filter(Campaign.objects.all(), "region")
    person = get_person(user)
    if person is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(groups__members=person).distinct()


def get_campaign_for_user(user: AnyUser | None, pk: int | str) -> Campaign:
    try:
        return campaigns_for_user(user).select_related("region", "checklist").get(pk=int(pk))
    except (Campaign.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such campaign.")) from exc


def assignments_for_user(user: AnyUser | None) -> QuerySet[Assignment]:
    """The venues the user checks: those of their groups (the office: every one in scope)."""
    found = Assignment.objects.select_related("enterprise__grid", "group", "campaign")
    if role_of(user) == Role.OFFICE:
        return scope_of(user).filter(found, "enterprise__grid")
    person = get_person(user)
    if person is None:
        return Assignment.objects.none()
    return found.filter(group__members=person)


def get_assignment_for_user(user: AnyUser | None, pk: int | str) -> Assignment:
    try:
        return assignments_for_user(user).get(pk=int(pk))
    except (Assignment.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("This venue is not assigned to you.")) from exc
