"""Volunteer figures (志愿服务统计), all from one place, inside the asker's scope.

Definitions, for a period [start, end) (Beijing days on the pages):
- **registered**: active volunteers on the register (now), by category (their team's), team
  and community (the street, 片区 or grid their record names);
- **active in the period**: volunteers with at least one credit for an activity held in it;
- **activities held**: activities not cancelled that started in the period;
- **hours served**: the sum of credits (corrections included) of activities held in the period;
- **person-times** (人次): confirmed attendances of activities held in the period;
- **ranking**: teams and volunteers by hours served in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from civgrid.org.queries import AnyUser
from civgrid.volunteers import hours as rules
from civgrid.volunteers.models import Activity, HoursCredit, Participation, Volunteer
from civgrid.volunteers.queries import activities_for_user, volunteers_for_user

TOP = 10


@dataclass(frozen=True)
class Figures:
    registered: int
    party_members: int
    active: int
    activities: int
    hours: Decimal
    person_times: int
    by_category: list[tuple[str, int]]
    by_team: list[tuple[str, int]]
    by_community: list[tuple[str, int]]
    top_teams: list[tuple[str, Decimal, int]]  # name, hours, person-times
    top_volunteers: list[tuple[int, str, str, Decimal, int]]  # pk, name, team, hours, stars
    stars: list[tuple[int, int]]  # level, volunteers at that level (cumulative hours)


def _held(user: AnyUser | None, start: dt.datetime, end: dt.datetime) -> QuerySet[Activity]:
    return activities_for_user(user).filter(
        starts_at__gte=start, starts_at__lt=end, status=Activity.Status.PUBLISHED
    )


def figures(user: AnyUser | None, start: dt.datetime, end: dt.datetime) -> Figures:
    volunteers = volunteers_for_user(user).filter(status=Volunteer.Status.ACTIVE)
    held = _held(user, start, end)
    held_ids = held.values("pk")
    credits = HoursCredit.objects.filter(activity_id__in=held_ids, volunteer__in=volunteers)
    totals = credits.aggregate(h=Sum("hours"), n=Count("volunteer_id", distinct=True))
    person_times = Participation.objects.filter(
        activity_id__in=held_ids, confirmed_at__isnull=False, volunteer__in=volunteers
    ).count()

    def grouped(field: str) -> list[tuple[str, int]]:
        rows = volunteers.values(field).annotate(n=Count("pk")).order_by("-n", field)
        return [(row[field] or "—", row["n"]) for row in rows]

    top_teams = [
        (row["volunteer__team__name"] or "—", row["h"], row["n"])
        for row in credits.values("volunteer__team__name")
        .annotate(h=Sum("hours"), n=Count("pk"))
        .order_by("-h")[:TOP]
    ]
    top = (
        credits.values("volunteer_id", "volunteer__name", "volunteer__team__name")
        .annotate(h=Sum("hours"))
        .order_by("-h", "volunteer_id")[:TOP]
    )
    cumulative = dict(
        HoursCredit.objects.filter(volunteer__in=volunteers)
        .values_list("volunteer_id")
        .annotate(h=Sum("hours"))
        .values_list("volunteer_id", "h")
    )
    star_counts = [0] * (len(rules.star_thresholds()) + 1)
    for total in cumulative.values():
        star_counts[rules.star_level(total)] += 1
    star_counts[0] = volunteers.count() - sum(star_counts[1:])
    return Figures(
        registered=volunteers.count(),
        party_members=volunteers.filter(political_status="party").count(),
        active=totals["n"] or 0,
        activities=held.count(),
        hours=totals["h"] or Decimal("0.00"),
        person_times=person_times,
        by_category=grouped("team__category__name"),
        by_team=grouped("team__name"),
        by_community=grouped("region__name"),
        top_teams=top_teams,
        top_volunteers=[
            (
                row["volunteer_id"],
                row["volunteer__name"],
                row["volunteer__team__name"] or "—",
                row["h"],
                rules.star_level(cumulative.get(row["volunteer_id"], Decimal(0))),
            )
            for row in top
        ],
        stars=list(enumerate(star_counts)),
    )


def national_rows(
    user: AnyUser | None, start: dt.datetime, end: dt.datetime
) -> QuerySet[HoursCredit, Any]:
    """The credits of activities held in the period, one row per volunteer × activity (the
    flat file the national volunteer system takes), corrections summed in."""
    volunteers = volunteers_for_user(user)
    return (
        HoursCredit.objects.filter(
            activity_id__in=_held(user, start, end).values("pk"), volunteer__in=volunteers
        )
        .values(
            "volunteer__name",
            "volunteer__id_number",
            "volunteer__phone",
            "activity_id",
            "activity__title",
            "activity__category__name",
            "activity__starts_at",
            "activity__ends_at",
            "activity__place",
        )
        .annotate(h=Sum("hours"))
        .filter(~Q(h=0))
        .order_by("activity__starts_at", "activity_id", "volunteer__name")
    )
