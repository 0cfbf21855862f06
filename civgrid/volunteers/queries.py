"""The only way to fetch volunteers, teams and activities a user may see (志愿服务可见范围).

- campaign office, inspectors, responsible leaders and grid workers: the volunteers, teams
  and activities of their region scope (civgrid.org.scope); the office and grid workers (the
  community) manage them, inspectors and leaders only look;
- a unit's clerk: the activities their unit organises;
- a volunteer (an account linked to a Volunteer): their own record and the published
  activities of their district;
- an activity's organiser: its attendees, phones masked (only the office sees them in full).

Outside what one may see is a 404, as if it did not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import Scope, scope_of
from civgrid.volunteers.models import Activity, Participation, Team, Volunteer

# Who sees the register of their area.
STAFF_ROLES = frozenset({Role.OFFICE, Role.INSPECTOR, Role.LEADER, Role.GRID_WORKER})
# Who registers volunteers, approves self-registrations and corrects the register (the
# community: the office and the grid workers of the region).
REGISTER_ROLES = frozenset({Role.OFFICE, Role.GRID_WORKER})


def volunteer_of(user: AnyUser | None) -> Volunteer | None:
    """The volunteer whose account `user` is, if any."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.volunteer  # type: ignore[union-attr,no-any-return]
    except Volunteer.DoesNotExist:
        return None


def is_active_volunteer(user: AnyUser | None) -> bool:
    """The gate of the ledger's "volunteer" source (civgrid.cases.models.SOURCE_GATES)."""
    volunteer = volunteer_of(user)
    return volunteer is not None and volunteer.status == Volunteer.Status.ACTIVE


def volunteers_for_user(user: AnyUser | None) -> QuerySet[Volunteer]:
    if role_of(user) in STAFF_ROLES:
        return scope_of(user).filter(Volunteer.objects.all(), "region")
    own = volunteer_of(user)
    return Volunteer.objects.filter(pk=own.pk) if own else Volunteer.objects.none()


def get_volunteer_for_user(user: AnyUser | None, pk: int | str) -> Volunteer:
    try:
        return volunteers_for_user(user).select_related("region", "team").get(pk=int(pk))
    except (Volunteer.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such volunteer.")) from exc


def may_manage_volunteer(user: AnyUser | None, volunteer: Volunteer) -> bool:
    return role_of(user) in REGISTER_ROLES and scope_of(user).covers(volunteer.region)


def may_see_full_contact(user: AnyUser | None) -> bool:
    """Only the office sees phone and ID numbers in full."""
    return role_of(user) == Role.OFFICE


def teams_for_user(user: AnyUser | None) -> QuerySet[Team]:
    if role_of(user) in STAFF_ROLES:
        return scope_of(user).filter(Team.objects.all(), "region")
    own = volunteer_of(user)
    if own is not None and own.team_id is not None:
        return Team.objects.filter(pk=own.team_id)
    return Team.objects.none()


def _district_scope(volunteer: Volunteer) -> Scope:
    district = volunteer.region.district()
    return Scope.of_regions([district]) if district else Scope.of_regions([volunteer.region])


def activities_for_user(user: AnyUser | None) -> QuerySet[Activity]:
    """The activities the user may open: their area's for staff, their unit's for a clerk,
    their district's published ones for a volunteer, and those they organise."""
    activities = Activity.objects.all()
    role = role_of(user)
    if user is None or not user.is_authenticated:
        return activities.none()
    query = Q(organiser=user)
    if role in STAFF_ROLES:
        scope = scope_of(user)
        if scope.is_everything:  # (Q() | other) would drop the empty Q: everything is all rows
            return activities
        query |= scope.q("region")
    elif role == Role.UNIT_CLERK:
        person = get_person(user)
        if person is not None and person.unit_id is not None:
            query |= Q(unit_id=person.unit_id)
    volunteer = volunteer_of(user)
    if volunteer is not None and volunteer.status == Volunteer.Status.ACTIVE:
        query |= Q(status=Activity.Status.PUBLISHED) & _district_scope(volunteer).q("region")
        query |= Q(participations__volunteer=volunteer)
        led = list(volunteer.led_teams.values_list("pk", flat=True))
        if led:
            query |= Q(team_id__in=led)
    return activities.filter(query).distinct()


def get_activity_for_user(user: AnyUser | None, pk: int | str) -> Activity:
    try:
        return (
            activities_for_user(user).select_related("region", "category", "team").get(pk=int(pk))
        )
    except (Activity.DoesNotExist, ValueError, OverflowError) as exc:
        raise Http404(_("No such activity.")) from exc


def get_activity_by_code(user: AnyUser | None, code: str) -> Activity:
    """The activity behind a QR code, if the user may see it; otherwise 404."""
    try:
        return activities_for_user(user).get(code=str(code)[:32])
    except Activity.DoesNotExist as exc:
        raise Http404(_("No activity has this code.")) from exc


def may_manage_activity(user: AnyUser | None, activity: Activity) -> bool:
    """The organiser, the leader of its team, and the office of its region confirm attendance."""
    if user is None or not user.is_authenticated:
        return False
    if activity.organiser_id == user.pk:
        return True
    team = activity.team
    if team is not None and team.leader is not None and team.leader.user_id == user.pk:
        return True
    return role_of(user) == Role.OFFICE and scope_of(user).covers(activity.region)


def attendees(activity: Activity) -> QuerySet[Participation]:
    return (
        activity.participations.filter(cancelled_at__isnull=True)
        .select_related("volunteer")
        .order_by("volunteer__name", "pk")
    )
