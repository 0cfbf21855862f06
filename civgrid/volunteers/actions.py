"""Every change to the volunteer register and activities (志愿服务操作).

Each action takes a keyword-only `actor`, runs in one transaction, checks the actor's role and
region scope and raises civgrid.cases.errors.InvalidInput / NotAllowed (the API's common error
body) before anything is written, and writes a VolunteerEvent with who and when. Attendance and
hours are in civgrid.volunteers.attendance.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.cases.steps import clean_text
from civgrid.lib import idnumbers
from civgrid.notices import events
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, get_person, role_of
from civgrid.org.scope import scope_of
from civgrid.territory.models import Region, Site
from civgrid.volunteers.models import (
    Activity,
    Participation,
    PoliticalStatus,
    ServiceCategory,
    Team,
    Volunteer,
    VolunteerEvent,
)
from civgrid.volunteers.queries import (
    REGISTER_ROLES,
    may_manage_activity,
    may_manage_volunteer,
    volunteer_of,
)

MAX_PLACES = 10_000
MAX_CLIENT_KEY = 100
# Who may publish an activity besides a team's leader: the office for its scope, a unit's
# clerk for the unit, a grid worker for their grids.
PUBLISH_ROLES = frozenset({Role.OFFICE, Role.UNIT_CLERK, Role.GRID_WORKER})


def short_text(
    value: str | None, field: str, *, limit: int, label: str, required: bool = False
) -> str:
    """Checked text (civgrid.cases.steps.clean_text) no longer than its column: refused, never
    cut short."""
    text = clean_text(value, field, required=required, label=label)
    if len(text) > limit:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": limit}, field)
    return text


def actor_name(actor: AnyUser | None) -> str:
    if actor is None or not actor.is_authenticated:
        return ""
    person = get_person(actor)
    if person is not None:
        return person.name
    volunteer = volunteer_of(actor)
    return volunteer.name if volunteer else actor.get_username()


def log_event(
    action: str,
    actor: AnyUser | None,
    now: dt.datetime,
    *,
    volunteer: Volunteer | None = None,
    activity: Activity | None = None,
    data: dict[str, Any] | None = None,
) -> VolunteerEvent:
    return VolunteerEvent.objects.create(
        action=action,
        volunteer=volunteer,
        activity=activity,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name(actor),
        created_at=now,
        data=data or {},
    )


# --- the register -------------------------------------------------------------------------


def _clean_volunteer(
    *, name: str, phone: str, id_number: str, region: Region, political_status: str
) -> tuple[str, str, str]:
    name = clean_text(name, "name", required=True, label=_("Real name"))
    if len(name) > 50:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": 50}, "name")
    phone = (phone or "").strip()
    if not (phone.isascii() and phone.isdigit() and 7 <= len(phone) <= 15):
        raise InvalidInput(_("Give a phone number of digits only."), "phone")
    number = idnumbers.normalise(id_number)
    if not idnumbers.is_valid(number):
        raise InvalidInput(
            _("Not a valid ID number (18 characters, the last one a check digit)."), "id_number"
        )
    if political_status not in PoliticalStatus.values:
        raise InvalidInput(_("Unknown political status."), "political_status")
    if region.level < Region.Level.STREET:
        raise InvalidInput(_("Choose a street, community or grid."), "region")
    return name, phone, number


def register_volunteer(
    *,
    actor: AnyUser | None,
    name: str,
    phone: str,
    id_number: str,
    region: Region,
    team: Team | None = None,
    skills: str = "",
    availability: str = "",
    political_status: str = PoliticalStatus.MASSES,
    user: User | None = None,
    now: dt.datetime | None = None,
) -> Volunteer:
    """Put a volunteer on the register (志愿者登记).

    Staff of the region (office, grid worker, responsible leader) register a volunteer as
    active. Anyone else (the public page behind the posters' QR code; `actor` None) registers
    themselves and waits for the community's approval.
    """
    now = now or timezone.now()
    by_staff = role_of(actor) in REGISTER_ROLES
    if by_staff and not scope_of(actor).covers(region):
        raise NotAllowed(_("This region is outside your area."))
    name, phone, number = _clean_volunteer(
        name=name,
        phone=phone,
        id_number=id_number,
        region=region,
        political_status=political_status,
    )
    skills = short_text(skills, "skills", limit=200, label=_("Skills"), required=False)
    availability = short_text(
        availability, "availability", limit=100, label=_("Availability"), required=False
    )
    if team is not None and not team.is_active:
        raise InvalidInput(_("This team is no longer active."), "team")
    if Volunteer.objects.filter(id_number=number).exists():
        raise InvalidInput(_("A volunteer with this ID number is already registered."), "id_number")
    if user is not None and Volunteer.objects.filter(user=user).exists():
        raise InvalidInput(_("This account already belongs to a volunteer."), "user")
    try:
        with transaction.atomic():
            volunteer = Volunteer.objects.create(
                user=user,
                name=name,
                phone=phone,
                id_number=number,
                region=region,
                team=team,
                skills=skills,
                availability=availability,
                political_status=political_status,
                status=Volunteer.Status.ACTIVE if by_staff else Volunteer.Status.PENDING,
                self_registered=not by_staff,
                registered_at=now,
                approved_at=now if by_staff else None,
                approved_by=actor if by_staff else None,  # type: ignore[misc]
            )
            log_event("register", actor, now, volunteer=volunteer, data={"by_staff": by_staff})
    except IntegrityError as exc:  # the same person sent twice at once
        raise InvalidInput(
            _("A volunteer with this ID number is already registered."), "id_number"
        ) from exc
    return volunteer


def decide_registration(
    *,
    actor: AnyUser,
    volunteer: Volunteer,
    approve: bool,
    note: str = "",
    now: dt.datetime | None = None,
) -> Volunteer:
    """The community approves or rejects a self-registration (审核)."""
    now = now or timezone.now()
    note = short_text(note, "note", limit=200, label=_("Note"), required=False)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        if not may_manage_volunteer(actor, volunteer):
            raise NotAllowed(_("This volunteer is outside your area."))
        if volunteer.status != Volunteer.Status.PENDING:
            raise InvalidInput(_("This registration has already been decided."), "status")
        volunteer.status = Volunteer.Status.ACTIVE if approve else Volunteer.Status.REJECTED
        volunteer.approved_at = now if approve else None
        volunteer.approved_by = actor if approve else None  # type: ignore[assignment]
        volunteer.save(update_fields=["status", "approved_at", "approved_by"])
        log_event(
            "approve" if approve else "reject", actor, now, volunteer=volunteer, data={"note": note}
        )
        events.notify(
            "volunteer_registration",
            [volunteer.user],
            now=now,
            slot=f"volunteer{volunteer.pk}",
            data={"name": volunteer.name, "approved": approve, "note": note},
        )
    return volunteer


def create_team(
    *,
    actor: AnyUser,
    name: str,
    category: ServiceCategory,
    region: Region,
    leader: Volunteer | None = None,
    now: dt.datetime | None = None,
) -> Team:
    """A new volunteer team (组建志愿服务队), by the office of the region."""
    now = now or timezone.now()
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office forms teams."))
    if not scope_of(actor).covers(region):
        raise NotAllowed(_("This region is outside your area."))
    name = short_text(name, "name", limit=100, label=_("Name"), required=True)
    if Team.objects.filter(name=name).exists():
        raise InvalidInput(_("A team with this name exists."), "name")
    if leader is not None and leader.status != Volunteer.Status.ACTIVE:
        raise InvalidInput(_("The leader must be an active volunteer."), "leader")
    with transaction.atomic():
        team = Team.objects.create(
            name=name, category=category, region=region, leader=leader, created_at=now
        )
        if leader is not None and leader.team_id is None:
            leader.team = team
            leader.save(update_fields=["team"])
        log_event("team", actor, now, volunteer=leader, data={"team": team.pk, "name": name})
    return team


# --- activities ---------------------------------------------------------------------------


def _may_publish(actor: AnyUser, region: Region, team: Team | None) -> bool:
    role = role_of(actor)
    if team is not None:
        leader = team.leader
        if leader is not None and leader.user_id is not None and leader.user_id == actor.pk:
            return scope_of_team(team).covers(region)
    if role not in PUBLISH_ROLES:
        return False
    return scope_of(actor).covers(region)


def scope_of_team(team: Team) -> Any:
    """A team works in its region's district."""
    from civgrid.org.scope import Scope

    district = team.region.district() or team.region
    return Scope.of_regions([district])


def publish_activity(
    *,
    actor: User,
    title: str,
    category: ServiceCategory,
    region: Region,
    place: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    places: int,
    description: str = "",
    team: Team | None = None,
    site: Site | None = None,
    standard: Any = None,
    inspection: Any = None,
    longitude: float | None = None,
    latitude: float | None = None,
    radius_m: int = 300,
    max_hours: Decimal | None = None,
    client_key: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Activity, bool]:
    """Publish an activity (发布志愿服务活动); returns (activity, created).

    A team's leader publishes for the team; the office, a unit's clerk (for the unit) and a grid
    worker publish in their own area. `client_key` makes a resent form return the first one.
    """
    now = now or timezone.now()
    key = (client_key or "").strip()
    if len(key) > MAX_CLIENT_KEY:
        raise InvalidInput(_("The client key is too long."), "client_key")
    if key:
        existing = Activity.objects.filter(organiser=actor, client_key=key).first()
        if existing is not None:
            return existing, False
    if not _may_publish(actor, region, team):
        raise NotAllowed(_("You may not publish activities here."))
    title = clean_text(title, "title", required=True, label=_("Title"))
    if len(title) > 100:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": 100}, "title")
    place = short_text(place, "place", limit=200, label=_("Place"), required=True)
    description = clean_text(description, "description", required=False, label=_("Description"))
    if ends_at <= starts_at:
        raise InvalidInput(_("The activity must end after it starts."), "ends_at")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise InvalidInput(_("An activity lasts at most 24 hours."), "ends_at")
    if not 1 <= places <= MAX_PLACES:
        raise InvalidInput(_("Places: from 1 to %(n)d.") % {"n": MAX_PLACES}, "places")
    if (longitude is None) != (latitude is None):
        raise InvalidInput(_("Give both longitude and latitude, or neither."), "longitude")
    if longitude is not None and not (-180 <= longitude <= 180 and -90 <= latitude <= 90):  # type: ignore[operator]
        raise InvalidInput(_("The coordinates are out of range."), "longitude")
    if not 20 <= radius_m <= 5000:
        raise InvalidInput(_("The check-in radius is from 20 to 5000 metres."), "radius_m")
    if site is not None and not scope_of(actor).covers(site.grid) and team is None:
        raise InvalidInput(_("This site is outside your area."), "site")
    length = Decimal(int((ends_at - starts_at).total_seconds())) / Decimal(3600)
    cap = length if max_hours is None else Decimal(max_hours)
    if cap <= 0 or cap > length:
        raise InvalidInput(
            _("The hours cap must be more than 0 and at most the activity's length."), "max_hours"
        )
    person = get_person(actor)
    unit = person.unit if person is not None and person.role == Role.UNIT_CLERK else None
    with transaction.atomic():
        activity = Activity.objects.create(
            title=title,
            description=description,
            category=category,
            team=team,
            unit=unit,
            region=region,
            site=site,
            standard=standard,
            inspection=inspection,
            place=place,
            longitude=longitude,
            latitude=latitude,
            radius_m=radius_m,
            starts_at=starts_at,
            ends_at=ends_at,
            places=places,
            max_hours=cap.quantize(Decimal("0.01")),
            code=secrets.token_urlsafe(12),
            organiser=actor,
            client_key=key,
            created_at=now,
        )
        log_event("publish", actor, now, activity=activity, data={"title": title})
    return activity, True


def sign_up(
    *, actor: AnyUser, activity: Activity, now: dt.datetime | None = None
) -> tuple[Participation, bool]:
    """A volunteer signs up for an activity (报名); returns (participation, created).

    Signing up again is not an error (the phone may resend); beyond the places it is refused.
    """
    now = now or timezone.now()
    volunteer = volunteer_of(actor)
    if volunteer is None or volunteer.status != Volunteer.Status.ACTIVE:
        raise NotAllowed(_("Only registered volunteers whose registration is approved sign up."))
    with transaction.atomic():
        # The activity row is the lock for its places: two last-minute sign-ups never both fit.
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        existing = Participation.objects.filter(activity=activity, volunteer=volunteer).first()
        if existing is not None and existing.is_active:
            return existing, False
        if activity.status != Activity.Status.PUBLISHED:
            raise InvalidInput(_("This activity was cancelled."), "activity")
        if activity.ends_at <= now:
            raise InvalidInput(_("This activity is over."), "activity")
        taken = Participation.objects.filter(activity=activity, cancelled_at__isnull=True).count()
        if taken >= activity.places:
            raise InvalidInput(
                _("All %(n)d places of this activity are taken.") % {"n": activity.places},
                "activity",
            )
        if existing is not None:  # signing up again after cancelling
            existing.cancelled_at = None
            existing.signed_up_at = now
            existing.save(update_fields=["cancelled_at", "signed_up_at"])
            participation = existing
        else:
            participation = Participation.objects.create(
                activity=activity, volunteer=volunteer, signed_up_at=now
            )
        log_event("sign_up", actor, now, volunteer=volunteer, activity=activity)
    return participation, True


def cancel_sign_up(
    *, actor: AnyUser, participation: Participation, now: dt.datetime | None = None
) -> Participation:
    """A volunteer withdraws before checking in (取消报名); the place is free again."""
    now = now or timezone.now()
    with transaction.atomic():
        participation = Participation.objects.select_for_update().get(pk=participation.pk)
        volunteer = participation.volunteer
        own = volunteer.user_id is not None and volunteer.user_id == actor.pk
        if not own and not may_manage_activity(actor, participation.activity):
            raise NotAllowed(_("You may not cancel this sign-up."))
        if participation.checked_in_at is not None:
            raise InvalidInput(_("Already checked in: the sign-up cannot be cancelled."), "status")
        if participation.cancelled_at is not None:
            return participation
        participation.cancelled_at = now
        participation.save(update_fields=["cancelled_at"])
        log_event("cancel", actor, now, volunteer=volunteer, activity=participation.activity)
    return participation


def join(
    *,
    user: AnyUser | None,
    name: str,
    phone: str,
    id_number: str,
    region: Region,
    password: str = "",
    political_status: str = PoliticalStatus.MASSES,
    skills: str = "",
    availability: str = "",
    now: dt.datetime | None = None,
) -> Volunteer:
    """Self-registration (志愿者自主注册) from the posters' QR code: waits for the community.

    A signed-in resident's account is linked; otherwise an account is made with the phone
    number as login and a resident's role (the volunteer then sees their own reports on the
    ledger as a resident does).
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from civgrid.org.models import Person

    if user is not None and user.is_authenticated:
        if role_of(user) not in (None, Role.RESIDENT):
            raise NotAllowed(_("Staff accounts are not volunteer accounts: log out first."))
        if volunteer_of(user) is not None:
            raise InvalidInput(_("You are already registered."), "name")
        return register_volunteer(
            actor=None,
            name=name,
            phone=phone,
            id_number=id_number,
            region=region,
            political_status=political_status,
            skills=skills,
            availability=availability,
            user=user,  # type: ignore[arg-type]
            now=now,
        )
    _clean_volunteer(
        name=name,
        phone=phone,
        id_number=id_number,
        region=region,
        political_status=political_status,
    )
    users = get_user_model()
    if users.objects.filter(username=phone.strip()).exists():
        raise InvalidInput(
            _("This phone number already has an account: log in, then register."), "phone"
        )
    try:
        validate_password(password)
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), "password") from exc
    with transaction.atomic():
        account = users.objects.create_user(phone.strip(), password=password)
        Person.objects.create(
            user=account, name=name.strip(), phone=phone.strip(), role=Role.RESIDENT
        )
        return register_volunteer(
            actor=None,
            name=name,
            phone=phone,
            id_number=id_number,
            region=region,
            political_status=political_status,
            skills=skills,
            availability=availability,
            user=account,
            now=now,
        )


def cancel_activity(
    *, actor: User, activity: Activity, reason: str, now: dt.datetime | None = None
) -> Activity:
    """The organiser cancels an activity before it ends (取消活动); those signed up are told.
    Attendance already checked in stays on record (and may still be confirmed)."""
    now = now or timezone.now()
    reason = short_text(reason, "reason", limit=200, label=_("Reason"), required=True)
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        if not may_manage_activity(actor, activity):
            raise NotAllowed(_("Only the organiser cancels the activity."))
        if activity.status == Activity.Status.CANCELLED:
            return activity
        if activity.ends_at <= now:
            raise InvalidInput(_("This activity is over."), "activity")
        activity.status = Activity.Status.CANCELLED
        activity.save(update_fields=["status"])
        log_event("cancel_activity", actor, now, activity=activity, data={"reason": reason})
        users = [
            p.volunteer.user
            for p in activity.participations.filter(cancelled_at__isnull=True).select_related(
                "volunteer__user"
            )
        ]
        events.notify(
            "volunteer_cancelled",
            users,
            now=now,
            slot=f"activity{activity.pk}",
            data={"activity": activity.title, "reason": reason},
        )
    return activity
