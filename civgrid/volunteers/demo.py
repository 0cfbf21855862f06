"""Demo volunteers (志愿服务): ~2,000 道德文明使者 in 10 categories and their teams, two years of
past activities with tens of thousands of confirmed attendances, and the activities of now.

The past is bulk-inserted (no VolunteerEvent history for it): activities, participations and
the HoursCredit rows, whose hours come from civgrid.volunteers.hours.credited_hours like any
confirmation. A volunteer never has two activities on one day, so no credit overlaps. The
present goes through the actions: pending self-registrations, coming activities with sign-ups,
and yesterday's activity with check-ins still to confirm (the organiser's start page).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from civgrid.demo import names
from civgrid.demo.district import District
from civgrid.lib import idnumbers
from civgrid.org.models import Person
from civgrid.volunteers import actions, hours
from civgrid.volunteers.models import (
    Activity,
    HoursCredit,
    Participation,
    PoliticalStatus,
    ServiceCategory,
    Team,
    Volunteer,
)

CATEGORIES = (
    ("traffic", "文明交通", ("文明交通劝导", "路口文明引导", "斑马线礼让宣传")),
    ("environment", "环境保护", ("河道清理", "小区环境整治", "背街小巷清洁", "捡拾白色垃圾")),
    ("elderly", "敬老助老", ("走访慰问高龄老人", "为老人理发义剪", "独居老人陪伴")),
    ("publicity", "文明宣传", ("文明城市创建宣传", "垃圾分类宣传", "移风易俗宣讲")),
    ("safety", "安全防范", ("消防安全宣传", "九小场所安全检查", "夜间治安巡逻")),
    ("youth", "关爱未成年人", ("四点半课堂", "留守儿童陪伴", "校园周边护学岗")),
    ("aid", "扶贫济困", ("困难家庭帮扶", "爱心物资发放")),
    ("culture", "文化服务", ("广场文艺演出", "图书馆志愿服务", "道德讲堂")),
    ("health", "医疗健康", ("义诊进社区", "健康知识讲座", "无偿献血引导")),
    ("emergency", "应急救援", ("防汛值守", "应急演练保障")),
)
N_VOLUNTEERS = 2000
N_PENDING = 15
HISTORY_DAYS = 730
ACTIVITIES_PER_TEAM_WEEK = 0.75


def _id_number(rng: random.Random, n: int) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
    return idnumbers.with_check(f"411602{born:%Y%m%d}{n % 1000:03d}")


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    now = end
    categories = [
        ServiceCategory.objects.create(code=code, name=name, order=i)
        for i, (code, name, _titles) in enumerate(CATEGORIES)
    ]
    titles: dict[int, tuple[str, ...]] = {c.pk: CATEGORIES[i][2] for i, c in enumerate(categories)}
    registered = now - dt.timedelta(days=HISTORY_DAYS + 30)
    teams: list[Team] = [
        Team.objects.create(
            name=f"{district.street.name}巾帼志愿服务队",
            category=categories[1],
            region=district.street,
            created_at=registered,
        ),
        Team.objects.create(
            name=f"{district.street.name}党员志愿服务队",
            category=categories[3],
            region=district.street,
            created_at=registered,
        ),
    ]
    for area in district.areas:
        for category in rng.sample(categories, 2):
            teams.append(
                Team.objects.create(
                    name=f"{area.name}{category.name}志愿服务队",
                    category=category,
                    region=area,
                    created_at=registered,
                )
            )
    # The women's team is the big one (200+ members); the others share the rest.
    weights = [11.0, 5.0] + [1.0] * (len(teams) - 2)
    grids_of_area: dict[int, list[int]] = defaultdict(list)
    for index in range(len(district.grids)):
        grids_of_area[district.area_index(index)].append(index)
    area_index = {area.pk: k for k, area in enumerate(district.areas)}
    volunteers: list[Volunteer] = []
    for n in range(N_VOLUNTEERS):
        team = rng.choices(teams, weights)[0]
        k = area_index.get(team.region_id)
        grid = (
            district.grids[rng.choice(grids_of_area[k])]
            if k is not None
            else rng.choice(district.grids)
        )
        at = registered + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        volunteers.append(
            Volunteer(
                name=names.person_name(rng),
                phone=names.mobile(rng),
                id_number=_id_number(rng, n),
                region=grid,
                team=team,
                political_status=rng.choices(
                    (
                        PoliticalStatus.PARTY_MEMBER,
                        PoliticalStatus.LEAGUE_MEMBER,
                        PoliticalStatus.MASSES,
                    ),
                    (25, 10, 65),
                )[0],
                status=Volunteer.Status.ACTIVE,
                registered_at=at,
                approved_at=at,
                approved_by=district.office,
            )
        )
    # Two demo residents are volunteers with an account (resident01 leads the women's team).
    for user, volunteer in zip(district.residents[:2], volunteers[:2], strict=True):
        volunteer.user = user
        volunteer.name = Person.objects.get(user=user).name
        volunteer.team = teams[0]
    Volunteer.objects.bulk_create(volunteers, batch_size=1000)
    volunteers = list(Volunteer.objects.order_by("pk"))
    leaders: dict[int, Volunteer] = {}
    members: dict[int, list[Volunteer]] = defaultdict(list)
    for volunteer in volunteers:
        members[volunteer.team_id].append(volunteer)  # type: ignore[index]
    for team in teams:
        leader = volunteers[0] if team == teams[0] else members[team.pk][0]
        team.leader = leader
        team.save(update_fields=["leader"])
        leaders[team.pk] = leader
    # Some give much more time than others; a core of about 3 % also join other teams'
    # activities, each at their own rate, so the star levels spread up to four stars.
    zeal = {v.pk: rng.paretovariate(1.6) for v in volunteers}
    core = {v.pk: rng.uniform(0.02, 0.2) for v in rng.sample(volunteers, len(volunteers) // 33)}
    _history(rng, district, teams, members, zeal, core, titles, now)
    _present(rng, district, teams, members, titles, now)


def _history(
    rng: random.Random,
    district: District,
    teams: list[Team],
    members: dict[int, list[Volunteer]],
    zeal: dict[int, float],
    core: dict[int, float],
    titles: dict[int, tuple[str, ...]],
    now: dt.datetime,
) -> None:
    by_pk = {v.pk: v for crew in members.values() for v in crew}
    start = now - dt.timedelta(days=HISTORY_DAYS)
    busy: set[tuple[int, dt.date]] = set()  # (volunteer, day): one activity a day each
    weeks = HISTORY_DAYS // 7
    made: list[tuple[Activity, list[Volunteer]]] = []
    for team in teams:
        crew = members[team.pk]
        size = 3.0 if team == teams[0] else 1.0
        for _week in range(int(weeks * ACTIVITIES_PER_TEAM_WEEK * size)):
            day = start + dt.timedelta(days=rng.randint(0, HISTORY_DAYS - 2))
            local = timezone.localtime(day).replace(
                hour=rng.choice((7, 8, 9, 14, 15)), minute=0, second=0, microsecond=0
            )
            begins = local.astimezone(dt.UTC)
            length = rng.choice((2, 2, 3, 3, 4))
            places = rng.choice((10, 15, 20, 30, 40))
            grid = rng.choice(district.grids)
            activity = Activity(
                title=rng.choice(titles[team.category_id]),
                category_id=team.category_id,
                team=team,
                region=grid,
                place=f"{grid.name}{rng.choice(('广场', '主干道', '小区', '河道', '公园', '路口'))}",
                starts_at=begins,
                ends_at=begins + dt.timedelta(hours=length),
                places=places,
                max_hours=Decimal(length),
                code=f"{rng.getrandbits(64):016x}",
                organiser=district.office,
                created_at=begins - dt.timedelta(days=5),
            )
            wanted = min(len(crew), rng.randint(places // 2, places))
            # Weighted sample without replacement (Efraimidis–Spirakis): the keen come more.
            ranked = sorted(crew, key=lambda v: rng.random() ** (1 / zeal[v.pk]), reverse=True)
            guests = [by_pk[pk] for pk, rate in core.items() if rng.random() < rate]
            local_day = local.date()
            chosen = [v for v in dict.fromkeys(guests + ranked) if (v.pk, local_day) not in busy]
            chosen = chosen[:wanted]
            for v in chosen:
                busy.add((v.pk, local_day))
            made.append((activity, chosen))
    Activity.objects.bulk_create([a for a, _c in made], batch_size=1000)
    participations: list[Participation] = []
    credits: list[HoursCredit] = []
    office_name = (
        Person.objects.filter(user=district.office).values_list("name", flat=True).first() or ""
    )
    for activity, chosen in made:
        for v in chosen:
            checked_in = activity.starts_at + dt.timedelta(minutes=rng.randint(-15, 10))
            checked_out = activity.ends_at + dt.timedelta(minutes=rng.randint(-40, 15))
            confirmed = activity.ends_at + dt.timedelta(hours=rng.randint(2, 30))
            participations.append(
                Participation(
                    activity=activity,
                    volunteer=v,
                    signed_up_at=activity.created_at + dt.timedelta(hours=rng.randint(1, 90)),
                    checked_in_at=checked_in,
                    checked_out_at=checked_out,
                    check_in_longitude=None,
                    confirmed_at=confirmed,
                    confirmed_by=district.office,
                )
            )
            credited, interval = hours.credited_hours(
                checked_in,
                checked_out,
                starts=activity.starts_at,
                ends=activity.ends_at,
                cap=activity.max_hours,
            )
            if credited > 0 and interval is not None:
                credits.append(
                    HoursCredit(
                        volunteer=v,
                        activity=activity,
                        kind=HoursCredit.Kind.CREDIT,
                        hours=credited,
                        start=interval[0],
                        end=interval[1],
                        credited_by=district.office,
                        credited_by_name=office_name,
                        credited_at=confirmed,
                    )
                )
    Participation.objects.bulk_create(participations, batch_size=2000)
    HoursCredit.objects.bulk_create(credits, batch_size=2000)


def _present(
    rng: random.Random,
    district: District,
    teams: list[Team],
    members: dict[int, list[Volunteer]],
    titles: dict[int, tuple[str, ...]],
    now: dt.datetime,
) -> None:
    """Through the actions: registrations waiting, coming activities, one to confirm."""
    for n in range(N_PENDING):
        actions.register_volunteer(
            actor=None,
            name=names.person_name(rng),
            phone=names.mobile(rng),
            id_number=_id_number(rng, 900 + n),
            region=rng.choice(district.grids),
            now=now - dt.timedelta(days=rng.randint(0, 6)),
        )
    team = teams[0]
    leader = team.leader
    assert leader is not None and leader.user is not None
    local_today = timezone.localtime(now).replace(hour=8, minute=0, second=0, microsecond=0)
    for offset, title in ((-1, "河道清理"), (2, "文明交通劝导"), (5, "小区环境整治")):
        begins = local_today + dt.timedelta(days=offset)
        activity, _created = actions.publish_activity(
            actor=leader.user,
            title=title,
            category=team.category,
            region=district.grids[0],
            team=team,
            place="沙颍河七一路段" if offset < 0 else "七一路与八一路交叉口",
            starts_at=begins,
            ends_at=begins + dt.timedelta(hours=3),
            places=30,
            longitude=None,
            latitude=None,
            now=begins - dt.timedelta(days=3),
        )
        crew = [v for v in members[team.pk] if v.user_id is None][: rng.randint(12, 20)]
        for v in crew:
            Participation.objects.create(
                activity=activity, volunteer=v, signed_up_at=begins - dt.timedelta(days=2)
            )
        if offset < 0:  # yesterday: checked in by the leader, waiting for confirmation
            for v in crew:
                Participation.objects.filter(activity=activity, volunteer=v).update(
                    checked_in_at=begins + dt.timedelta(minutes=rng.randint(-10, 10)),
                    checked_out_at=begins + dt.timedelta(hours=3, minutes=rng.randint(-30, 5)),
                    flags=["check_in_by_organiser", "check_out_by_organiser"],
                )
