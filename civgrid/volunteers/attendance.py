"""Check-in, check-out, confirmation and service hours (签到签退与时长认定): actions.

A volunteer checks in and out by scanning the activity's QR code on their phone (the time the
phone recorded the scan and its GPS are kept; the phone's offline outbox may send the scan later,
and twice: its key makes the second one a no-op). The organiser checks in those without a phone.
Out of place (GPS beyond the radius, or none) is flagged for the organiser; without the
activity's code, twice, or outside the window is refused. The organiser confirms the attendance
(correcting the times if needed); only then are hours credited, by civgrid.volunteers.hours'
rules, as an immutable HoursCredit. The office corrects hours with a new row, never an edit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.cases.errors import InvalidInput, NotAllowed
from civgrid.fieldwork.tracks import haversine_m
from civgrid.notices import events
from civgrid.org.models import Role
from civgrid.org.queries import AnyUser, role_of
from civgrid.org.scope import scope_of
from civgrid.volunteers import hours as rules
from civgrid.volunteers.actions import MAX_CLIENT_KEY, actor_name, log_event, short_text
from civgrid.volunteers.models import Activity, HoursCredit, Participation, Volunteer
from civgrid.volunteers.queries import may_manage_activity, volunteer_of

# The check-in window opens this long before the start; check-out closes this long after the end.
EARLY = dt.timedelta(minutes=30)
LATE = dt.timedelta(hours=2)
# A phone's clock may run a little ahead of the server's; an offline scan may arrive days later.
CLOCK_SKEW = dt.timedelta(minutes=10)
MAX_DELAY = dt.timedelta(days=3)


def _scan_time(at: dt.datetime | None, now: dt.datetime) -> dt.datetime:
    when = at or now
    if timezone.is_naive(when):
        when = timezone.make_aware(when, timezone.get_default_timezone())
    if when > now + CLOCK_SKEW:
        raise InvalidInput(_("The scan time is in the future."), "at")
    if when < now - MAX_DELAY:
        raise InvalidInput(_("The scan is too old to be accepted."), "at")
    return when


def _place_flags(
    activity: Activity, kind: str, longitude: float | None, latitude: float | None
) -> list[str]:
    if activity.longitude is None or activity.latitude is None:
        return []
    if longitude is None or latitude is None:
        return [f"{kind}_no_gps"]
    distance = haversine_m(longitude, latitude, activity.longitude, activity.latitude)
    return [f"{kind}_far"] if distance > activity.radius_m else []


def _participation_for_scan(
    actor: AnyUser, code: str, volunteer: Volunteer | None
) -> tuple[Participation, bool]:
    """(locked participation, by organiser) for a scan of `code` by `actor`."""
    activity = Activity.objects.filter(code=str(code or "")[:32]).first()
    if activity is None or not code:
        raise InvalidInput(_("This is not the code of an activity."), "code")
    if activity.status != Activity.Status.PUBLISHED:
        raise InvalidInput(_("This activity was cancelled."), "code")
    by_organiser = volunteer is not None
    if by_organiser:
        if not may_manage_activity(actor, activity):
            raise NotAllowed(_("Only the organiser checks others in."))
    else:
        volunteer = volunteer_of(actor)
        if volunteer is None:
            raise NotAllowed(_("Only registered volunteers check in."))
    assert volunteer is not None
    participation = (
        Participation.objects.select_for_update()
        .select_related("activity", "volunteer")
        .filter(activity=activity, volunteer=volunteer, cancelled_at__isnull=True)
        .first()
    )
    if participation is None:
        raise InvalidInput(_("Sign up for the activity before checking in."), "code")
    return participation, by_organiser


def _key(client_key: str | None) -> str:
    key = (client_key or "").strip()
    if len(key) > MAX_CLIENT_KEY:
        raise InvalidInput(_("The client key is too long."), "client_key")
    return key


def check_in(
    *,
    actor: AnyUser,
    code: str,
    at: dt.datetime | None = None,
    longitude: float | None = None,
    latitude: float | None = None,
    volunteer: Volunteer | None = None,
    client_key: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Participation, bool]:
    """Check in (签到) to the activity whose code was scanned; returns (participation, created).

    `volunteer` is given when the organiser checks someone in (no GPS asked then). The same
    `client_key` sent again returns the first check-in; another check-in is refused.
    """
    now = now or timezone.now()
    key = _key(client_key)
    with transaction.atomic():
        participation, by_organiser = _participation_for_scan(actor, code, volunteer)
        if key and participation.check_in_key == key:
            return participation, False
        if participation.checked_in_at is not None:
            raise InvalidInput(_("Already checked in to this activity."), "code")
        when = _scan_time(at, now)
        activity = participation.activity
        if not activity.starts_at - EARLY <= when <= activity.ends_at:
            raise InvalidInput(
                _("Check-in is open from %(minutes)d minutes before the start to the end.")
                % {"minutes": EARLY.seconds // 60},
                "at",
            )
        flags = list(participation.flags)
        if by_organiser:
            flags.append("check_in_by_organiser")
        else:
            flags += _place_flags(activity, "check_in", longitude, latitude)
        participation.checked_in_at = when
        participation.check_in_longitude = longitude
        participation.check_in_latitude = latitude
        participation.check_in_key = key
        participation.flags = flags
        participation.save(
            update_fields=[
                "checked_in_at",
                "check_in_longitude",
                "check_in_latitude",
                "check_in_key",
                "flags",
            ]
        )
        log_event(
            "check_in",
            actor,
            now,
            volunteer=participation.volunteer,
            activity=activity,
            data={"at": when.isoformat(), "flags": flags, "gps": [longitude, latitude]},
        )
    return participation, True


def check_out(
    *,
    actor: AnyUser,
    code: str,
    at: dt.datetime | None = None,
    longitude: float | None = None,
    latitude: float | None = None,
    volunteer: Volunteer | None = None,
    client_key: str | None = None,
    now: dt.datetime | None = None,
) -> tuple[Participation, bool]:
    """Check out (签退) of the activity whose code was scanned; returns (participation, created)."""
    now = now or timezone.now()
    key = _key(client_key)
    with transaction.atomic():
        participation, by_organiser = _participation_for_scan(actor, code, volunteer)
        if key and participation.check_out_key == key:
            return participation, False
        if participation.checked_in_at is None:
            raise InvalidInput(_("Check in before checking out."), "code")
        if participation.checked_out_at is not None:
            raise InvalidInput(_("Already checked out of this activity."), "code")
        when = _scan_time(at, now)
        activity = participation.activity
        if when <= participation.checked_in_at:
            raise InvalidInput(_("The check-out must come after the check-in."), "at")
        if when > activity.ends_at + LATE:
            raise InvalidInput(
                _("Check-out closes %(hours)d hours after the end.")
                % {"hours": LATE.seconds // 3600},
                "at",
            )
        flags = list(participation.flags)
        if by_organiser:
            flags.append("check_out_by_organiser")
        else:
            flags += _place_flags(activity, "check_out", longitude, latitude)
        participation.checked_out_at = when
        participation.check_out_longitude = longitude
        participation.check_out_latitude = latitude
        participation.check_out_key = key
        participation.flags = flags
        participation.save(
            update_fields=[
                "checked_out_at",
                "check_out_longitude",
                "check_out_latitude",
                "check_out_key",
                "flags",
            ]
        )
        log_event(
            "check_out",
            actor,
            now,
            volunteer=participation.volunteer,
            activity=activity,
            data={"at": when.isoformat(), "flags": flags, "gps": [longitude, latitude]},
        )
    return participation, True


def total_hours(volunteer: Volunteer) -> Decimal:
    total = HoursCredit.objects.filter(volunteer=volunteer).aggregate(s=Sum("hours"))["s"]
    return total or Decimal("0.00")


def _notify_credit(
    volunteer: Volunteer, activity: Activity, hours: Decimal, before: Decimal, now: dt.datetime
) -> None:
    after = before + hours
    events.notify(
        "volunteer_hours",
        [volunteer.user],
        now=now,
        slot=f"activity{activity.pk}:volunteer{volunteer.pk}",
        data={"activity": activity.title, "hours": str(hours), "total": str(after)},
    )
    old, new = rules.star_level(before), rules.star_level(after)
    if new > old:
        events.notify(
            "volunteer_star",
            [volunteer.user],
            now=now,
            slot=f"volunteer{volunteer.pk}:star{new}",
            data={"name": volunteer.name, "level": new, "total": str(after)},
        )


def confirm_attendance(
    *,
    actor: User,
    participation: Participation,
    checked_in_at: dt.datetime | None = None,
    checked_out_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> HoursCredit | None:
    """The organiser confirms an attendance (确认考勤) and the hours are credited.

    The organiser may correct the times (a forgotten check-out): the change is recorded with
    the old and new times. Returns the credit (None when no time counts).
    """
    now = now or timezone.now()
    note = short_text(note, "note", limit=200, label=_("Note"))
    with transaction.atomic():
        participation = (
            Participation.objects.select_for_update()
            .select_related("activity", "volunteer")
            .get(pk=participation.pk)
        )
        activity = participation.activity
        if not may_manage_activity(actor, activity):
            raise NotAllowed(_("Only the organiser confirms the attendance."))
        if participation.cancelled_at is not None:
            raise InvalidInput(_("This sign-up was cancelled."), "participation")
        if participation.confirmed_at is not None:
            raise InvalidInput(_("This attendance is already confirmed."), "participation")
        start = checked_in_at or participation.checked_in_at
        end = checked_out_at or participation.checked_out_at
        if start is None or end is None:
            raise InvalidInput(
                _("Give the check-in and check-out times before confirming."), "checked_out_at"
            )
        if end <= start:
            raise InvalidInput(_("The check-out must come after the check-in."), "checked_out_at")
        if end > now + CLOCK_SKEW:
            raise InvalidInput(_("The check-out time is in the future."), "checked_out_at")
        # The volunteer's row serializes credits: two confirmations of overlapping activities
        # for one person must see each other's intervals.
        volunteer = Volunteer.objects.select_for_update().get(pk=participation.volunteer_id)
        taken = [
            (s, e)
            for s, e in HoursCredit.objects.filter(
                volunteer=volunteer, kind=HoursCredit.Kind.CREDIT, start__isnull=False
            )
            .exclude(activity=activity)
            .values_list("start", "end")
            if s is not None and e is not None
        ]
        hours, interval = rules.credited_hours(
            start,
            end,
            starts=activity.starts_at,
            ends=activity.ends_at,
            cap=activity.max_hours,
            taken=taken,
        )
        changes = {}
        if start != participation.checked_in_at:
            changes["checked_in_at"] = [_iso(participation.checked_in_at), start.isoformat()]
        if end != participation.checked_out_at:
            changes["checked_out_at"] = [_iso(participation.checked_out_at), end.isoformat()]
        participation.checked_in_at = start
        participation.checked_out_at = end
        participation.confirmed_at = now
        participation.confirmed_by = actor  # type: ignore[assignment]
        participation.save(
            update_fields=["checked_in_at", "checked_out_at", "confirmed_at", "confirmed_by"]
        )
        log_event(
            "confirm",
            actor,
            now,
            volunteer=volunteer,
            activity=activity,
            data={"hours": str(hours), "changes": changes, "note": note},
        )
        if hours <= 0:
            return None
        before = total_hours(volunteer)
        credit = HoursCredit.objects.create(
            volunteer=volunteer,
            activity=activity,
            kind=HoursCredit.Kind.CREDIT,
            hours=hours,
            start=interval[0] if interval else None,
            end=interval[1] if interval else None,
            reason=note,
            credited_by=actor,
            credited_by_name=actor_name(actor),
            credited_at=now,
        )
        _notify_credit(volunteer, activity, hours, before, now)
    return credit


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def correct_hours(
    *,
    actor: User,
    volunteer: Volunteer,
    activity: Activity,
    hours: Decimal | str,
    reason: str,
    now: dt.datetime | None = None,
) -> HoursCredit:
    """The office corrects a volunteer's hours for an activity (时长更正) with a new row of
    +/- hours and the reason; the total never goes below zero, nor the activity's cap."""
    now = now or timezone.now()
    if role_of(actor) != Role.OFFICE:
        raise NotAllowed(_("Only the campaign office corrects hours."))
    if not scope_of(actor).covers(volunteer.region):
        raise NotAllowed(_("This volunteer is outside your area."))
    try:
        delta = Decimal(str(hours)).quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise InvalidInput(_("Give the hours as a number."), "hours") from exc
    if delta == 0 or not delta.is_finite():
        raise InvalidInput(_("Give the hours to add (or, negative, to take away)."), "hours")
    reason = short_text(reason, "reason", limit=200, label=_("Reason"), required=True)
    with transaction.atomic():
        volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
        credited = HoursCredit.objects.filter(volunteer=volunteer, activity=activity).aggregate(
            s=Sum("hours")
        )["s"] or Decimal(0)
        if credited + delta < 0:
            raise InvalidInput(
                _("The activity's hours would fall below zero (credited: %(h)s).")
                % {"h": credited},
                "hours",
            )
        if credited + delta > activity.max_hours:
            raise InvalidInput(
                _("At most %(h)s hours are credited for this activity.")
                % {"h": activity.max_hours},
                "hours",
            )
        credit = HoursCredit.objects.create(
            volunteer=volunteer,
            activity=activity,
            kind=HoursCredit.Kind.CORRECTION,
            hours=delta,
            reason=reason,
            credited_by=actor,
            credited_by_name=actor_name(actor),
            credited_at=now,
        )
        log_event(
            "correct",
            actor,
            now,
            volunteer=volunteer,
            activity=activity,
            data={"hours": str(delta), "reason": reason},
        )
    return credit
