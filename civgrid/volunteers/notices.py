"""The volunteer side's notice events (civgrid/notices/events.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civgrid.notices import events

if TYPE_CHECKING:
    from civgrid.notices.models import Notice


def _hours(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[-1].data
    subject = _("%(hours)s service hours credited for %(activity)s") % data
    body = _("Your confirmed service hours now total %(total)s.") % data
    return subject, body, "/volunteers/me/"


def _star(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[-1].data
    subject = _("You reached star level %(level)s") % data
    body = (
        _("With %(total)s confirmed service hours, %(name)s is a %(level)s-star volunteer.") % data
    )
    return subject, body, "/volunteers/me/"


def _registration(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[-1].data
    if data.get("approved"):
        return _("Your volunteer registration is approved"), data.get("note", ""), "/volunteers/me/"
    return (
        _("Your volunteer registration was not approved"),
        data.get("note", ""),
        "/volunteers/me/",
    )


def _cancelled(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[-1].data
    return _("Activity cancelled: %(activity)s") % data, data.get("reason", ""), "/volunteers/me/"


def _reminder(notices: Sequence[Notice]) -> tuple[str, str, str]:
    data = notices[-1].data
    subject = _("Tomorrow: %(activity)s") % data
    return (
        subject,
        _("%(at)s at %(place)s. Scan the code there to check in.") % data,
        "/volunteers/me/",
    )


def register_events() -> None:
    events.register(
        "volunteer_hours",
        gettext_lazy("Service hours credited (志愿服务时长认定)"),
        render=_hours,
    )
    events.register(
        "volunteer_star", gettext_lazy("Volunteer star level reached (志愿者星级)"), render=_star
    )
    events.register(
        "volunteer_cancelled",
        gettext_lazy("Volunteer activity cancelled (志愿活动取消)"),
        render=_cancelled,
    )
    events.register(
        "volunteer_reminder",
        gettext_lazy("Volunteer activity tomorrow (志愿活动提醒)"),
        render=_reminder,
    )
    events.register(
        "volunteer_registration",
        gettext_lazy("Volunteer registration decided (志愿者注册审核)"),
        render=_registration,
    )
