"""Periodic jobs of the volunteer side (civgrid.scheduling.registry)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civgrid.notices import events
from civgrid.scheduling.registry import register
from civgrid.volunteers.models import Activity, Participation


def remind_tomorrow(slot: dt.datetime) -> str:
    """At 18:00, tell everyone signed up for an activity of tomorrow (Beijing day) where and
    when it is (once per activity and person: the notice slot names the activity)."""
    tomorrow = timezone.localtime(slot).date() + dt.timedelta(days=1)
    zone = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min), zone)
    end = start + dt.timedelta(days=1)
    sent = 0
    activities = Activity.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status=Activity.Status.PUBLISHED
    )
    for activity in activities:
        users = [
            p.volunteer.user
            for p in Participation.objects.filter(
                activity=activity, cancelled_at__isnull=True
            ).select_related("volunteer__user")
        ]
        sent += events.notify(
            "volunteer_reminder",
            users,
            now=slot,
            slot=f"activity{activity.pk}:reminder",
            data={
                "activity": activity.title,
                "place": activity.place,
                "at": timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M"),
            },
        )
    return f"{sent} reminder(s) for {activities.count()} activity(ies) tomorrow"


register(
    "volunteers.remind_tomorrow", func="civgrid.volunteers.schedule.remind_tomorrow", at="18:00"
)
