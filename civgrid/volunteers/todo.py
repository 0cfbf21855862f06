"""The volunteer panels of the start page (待办, civgrid/todo.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civgrid.org.queries import AnyUser
from civgrid.todo import Panel, PanelItem
from civgrid.volunteers.models import Activity, Participation, Volunteer
from civgrid.volunteers.queries import REGISTER_ROLES, volunteer_of, volunteers_for_user

FIRST = 5


def volunteers_todo(user: AnyUser, role: str, now: dt.datetime) -> Panel | None:
    """The community's registrations to approve; an organiser's attendances to confirm; a
    volunteer's coming activities."""
    if role in REGISTER_ROLES:
        return _registrations(user, now) or _to_confirm(user, now)
    if volunteer_of(user) is not None:
        return _coming(user, now)
    return _to_confirm(user, now)


def _registrations(user: AnyUser, now: dt.datetime) -> Panel | None:
    pending = volunteers_for_user(user).filter(status=Volunteer.Status.PENDING)
    count = pending.count()
    if not count:
        return None
    url = reverse("volunteers:register") + "?status=pending"
    items = tuple(
        PanelItem(v.name, reverse("volunteers:volunteer", args=[v.pk]), _("waiting for approval"))
        for v in pending.order_by("registered_at")[:FIRST]
    )
    return Panel(_("Volunteer registrations (志愿者审核)"), count, url, items, "warning", 70)


def _to_confirm(user: AnyUser, now: dt.datetime) -> Panel | None:
    if not user.is_authenticated:
        return None
    waiting = Participation.objects.filter(
        Q(activity__organiser=user) | Q(activity__team__leader__user=user),
        cancelled_at__isnull=True,
        checked_in_at__isnull=False,
        confirmed_at__isnull=True,
        activity__ends_at__lte=now,
    )
    count = waiting.count()
    if not count:
        return None
    activities = Activity.objects.filter(pk__in=waiting.values("activity_id")).order_by("ends_at")[
        :FIRST
    ]
    items = tuple(
        PanelItem(
            a.title,
            reverse("volunteers:activity", args=[a.pk]),
            timezone.localtime(a.ends_at).strftime("%m-%d %H:%M"),
        )
        for a in activities
    )
    url = reverse("volunteers:activities") + "?confirm=yes"
    return Panel(_("Attendance to confirm (待确认考勤)"), count, url, items, "warning", 70)


def _coming(user: AnyUser, now: dt.datetime) -> Panel | None:
    volunteer = volunteer_of(user)
    mine = Participation.objects.filter(
        volunteer=volunteer, cancelled_at__isnull=True, activity__ends_at__gt=now
    ).select_related("activity")
    count = mine.count()
    items = tuple(
        PanelItem(
            p.activity.title,
            reverse("volunteers:activity", args=[p.activity_id]),
            timezone.localtime(p.activity.starts_at).strftime("%m-%d %H:%M"),
        )
        for p in mine.order_by("activity__starts_at")[:FIRST]
    )
    return Panel(
        _("My volunteer activities (我的志愿活动)"),
        count,
        reverse("volunteers:me"),
        items,
        "",
        40,
    )
