"""Demo assistance rolls at the seed's scale (002): 城乡低保 569 households / 1,031 persons,
特困供养 159, 高龄补贴 1,594, 孤儿 11 — with the standards chosen so a year of payments comes
near the seed's sums (低保 282.4万元: 228 元 per person a month on average, as 补差; 特困
114.1万元: 598 元; 高龄 126万元: 50/100/300 元 by band).

The existing roll is bulk-inserted as an import by 民政 (one `imported` event each, as
`imports.import_roll` writes); what happened since goes through the actions: a few proposals
by the communities waiting for 民政, ends approved (some reported by check visits), deaths
just reported. Three months are paid out through `runs` (draft → approve → payment file) and
the current month is drafted, so its adjustments show the ends approved after payment. Check
visits of the last and the current quarter are bulk-inserted visits of civgrid.visits.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone
from stdnum.cn import ric

from civgrid.assistance import actions, rules, runs
from civgrid.assistance.models import (
    Beneficiary,
    BeneficiaryEvent,
    CheckVisit,
    EndReason,
    Programme,
    Standard,
)
from civgrid.demo import names
from civgrid.demo.catalogue import COMMUNITY_UNIT_OF_AREA
from civgrid.demo.district import District
from civgrid.org.models import Person
from civgrid.visits import plans
from civgrid.visits.models import Household, Visit

REGION_CODE = "411602"  # 川汇区
BANKS = ("周口农商银行", "中国邮政储蓄银行", "中国农业银行", "中国工商银行")
# code, name, kind, basis, min age, below age, check visits, {band: amount}, enrolments
PROGRAMMES = (
    (
        "DB",
        "城乡低保",
        Programme.Kind.DIBAO_URBAN,
        "person",
        None,
        None,
        "",
        {(0, None): "228.00"},
        569,
    ),
    (
        "TK",
        "特困人员供养",
        Programme.Kind.TEKUN,
        "person",
        None,
        None,
        "quarterly",
        {(0, None): "598.00"},
        159,
    ),
    (
        "GL",
        "高龄老人生活补贴",
        Programme.Kind.ELDERLY,
        "person",
        80,
        None,
        "quarterly",
        {(80, 90): "50.00", (90, 100): "100.00", (100, None): "300.00"},
        1594,
    ),
    (
        "GE",
        "孤儿基本生活费",
        Programme.Kind.ORPHAN,
        "person",
        None,
        18,
        "quarterly",
        {(0, None): "1200.00"},
        11,
    ),
)
DIBAO_PERSONS = 1031
SEEN_LAST_QUARTER = 0.9
CONDITIONS = (
    "身体尚可，生活能自理",
    "子女定期看望",
    "独居，已留网格员电话",
    "行动不便，需要助餐",
    "",
)


def _id_number(rng: random.Random, birth: dt.date) -> str:
    body = f"{REGION_CODE}{birth:%Y%m%d}{rng.randint(1, 999):03d}"
    return body + ric.calc_check_digit(body + "0")


def _birth(rng: random.Random, code: str, today: dt.date) -> dt.date:
    if code == "GL":
        age = rng.choices(
            (rng.randint(80, 89), rng.randint(90, 99), rng.randint(100, 104)), weights=(75, 23, 2)
        )[0]
    elif code == "GE":
        age = rng.randint(3, 16)
    elif code == "TK":
        age = rng.randint(60, 88)
    else:
        age = rng.randint(25, 80)
    return today - dt.timedelta(days=age * 365 + rng.randint(30, 330))


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    today = timezone.localtime(end).date()
    month = rules.month_start(today)
    mz = district.clerks["MZJ"]
    unit = Person.objects.get(user=mz).unit
    assert unit is not None
    # The community clerks answer for their 片区 (the assistance rolls' community scope).
    for area_index, code in COMMUNITY_UNIT_OF_AREA.items():
        if code in district.clerks and area_index < len(district.areas):
            Person.objects.get(user=district.clerks[code]).regions.add(district.areas[area_index])
    households = list(Household.objects.filter(grid__in=district.grids).order_by("code"))
    if not households:
        return
    aged = [h for h in households if h.aged_80_plus] or households
    poor = [h for h in households if h.low_income] + households
    created = timezone.now()
    programmes = {}
    for code, name, kind, basis, low, high, check, bands, _n in PROGRAMMES:
        programme = Programme.objects.create(
            code=code,
            name=name,
            kind=kind,
            basis=basis,
            unit=unit,
            min_age=low,
            max_age=high,
            check_frequency=check,
            rules=f"{name}：由社区申报、民政局审批",
        )
        Standard.objects.bulk_create(
            Standard(
                programme=programme,
                valid_from=dt.date(2020, 1, 1),
                min_age=b[0],
                max_age=b[1],
                amount=Decimal(a),
                created_at=created,
                created_by=mz,
            )
            for b, a in bands.items()
        )
        programmes[code] = programme
    first_run = rules.previous_month(rules.previous_month(rules.previous_month(month)))
    made: list[Beneficiary] = []
    for code, _name, _kind, _basis, _low, _high, _check, _bands, count in PROGRAMMES:
        pool = aged if code == "GL" else poor if code == "DB" else households
        seen: set[str] = set()
        persons = [1] * count
        if code == "DB":
            for _i in range(DIBAO_PERSONS - count):
                persons[rng.randrange(count)] += 1
        for i in range(count):
            birth = _birth(rng, code, today)
            number = _id_number(rng, birth)
            while number in seen:
                number = _id_number(rng, birth)
            seen.add(number)
            start = dt.date(rng.randint(2019, 2025), rng.randint(1, 12), 1)
            if code == "GL":  # enrolled from the month after the 80th birthday at the earliest
                start = max(start, rules.next_month(birth.replace(year=birth.year + 80, day=1)))
            start = min(start, first_run)
            household = pool[(i * 7 + rng.randrange(3)) % len(pool)]
            made.append(
                Beneficiary(
                    programme=programmes[code],
                    household=household,
                    name=names.person_name(rng),
                    id_number=number,
                    birth_on=birth,
                    persons=persons[i],
                    bank_name=rng.choice(BANKS),
                    bank_account="6230" + "".join(str(rng.randint(0, 9)) for _ in range(15)),
                    status=Beneficiary.Status.ACTIVE,
                    applied_on=start,
                    starts_on=start,
                    proposed_by=mz,
                    approved_by=mz,
                    approved_at=created,
                    created_at=created,
                    updated_at=created,
                )
            )
    made = Beneficiary.objects.bulk_create(made, batch_size=1000)
    if any(b.pk is None for b in made):
        made = list(Beneficiary.objects.filter(programme__in=programmes.values()).order_by("pk"))
    who = actions.actor_name(mz)
    BeneficiaryEvent.objects.bulk_create(
        (
            BeneficiaryEvent(
                beneficiary=b,
                kind=BeneficiaryEvent.Kind.IMPORTED,
                at=created,
                by=mz,
                by_name=who,
                note="导入原有名册",
            )
            for b in made
        ),
        batch_size=1000,
    )
    checked = [b for b in made if b.programme.check_frequency]
    _check_visits(district, rng, checked, end=end)
    # Three months paid out, through the real runs.
    for paid in (first_run, rules.next_month(first_run), rules.previous_month(month)):
        for programme in programmes.values():
            run = runs.draft_run(programme, paid, actor=mz, district=district.district)
            runs.payment_file(runs.approve_run(run, actor=mz), actor=mz)
    _changes_since(district, rng, programmes, made, mz, month)
    for programme in programmes.values():
        runs.draft_run(programme, month, actor=mz, district=district.district)


def _check_visits(
    district: District, rng: random.Random, checked: list[Beneficiary], *, end: dt.datetime
) -> None:
    worker_of = {grid.pk: district.worker_of_grid[i] for i, grid in enumerate(district.grids)}
    today = timezone.localtime(end).date()
    current = plans.period_containing("quarterly", today)
    visits: list[tuple[Visit, Beneficiary, str]] = []
    for period, chance in ((current.previous(), SEEN_LAST_QUARTER), (current, 0.5)):
        lo, hi = period.bounds()
        hi = min(hi, end)
        for b in checked:
            if rng.random() >= chance:
                continue
            worker = worker_of[b.household.grid_id]
            at = lo + (hi - lo) * rng.random()
            outcome = CheckVisit.Outcome.PRESENT if rng.random() < 0.96 else CheckVisit.Outcome.AWAY
            visits.append(
                (
                    Visit(
                        household=b.household,
                        visited_by=worker,
                        visitor_name=worker.get_username(),
                        visited_at=at,
                        notes=rng.choice(CONDITIONS),
                        created_at=at,
                    ),
                    b,
                    outcome,
                )
            )
    made = Visit.objects.bulk_create([v for v, _b, _o in visits], batch_size=1000)
    if any(v.pk is None for v in made):  # a backend that returns no ids: read them back
        made = list(
            Visit.objects.filter(created_at__in=[v.created_at for v in made]).order_by("pk")
        )
    CheckVisit.objects.bulk_create(
        (
            CheckVisit(
                beneficiary=b, visit=v, outcome=o, conditions=v.notes, visited_at=v.visited_at
            )
            for v, (_v, b, o) in zip(made, visits, strict=True)
        ),
        batch_size=1000,
    )


def _changes_since(
    district: District,
    rng: random.Random,
    programmes: dict[str, Programme],
    made: list[Beneficiary],
    mz: User,
    month: dt.date,
) -> None:
    """After the last payment: ends approved (some late, so the draft takes money back),
    deaths just reported, proposals from the communities waiting for 民政."""
    elderly = [b for b in made if b.programme.code == "GL"]
    ended_on = rules.previous_month(rules.previous_month(month)) + dt.timedelta(days=9)
    for b in rng.sample(elderly, min(8, len(elderly))):
        actions.propose_end(
            b, actor=mz, reason=EndReason.DIED, ends_on=ended_on, note="家属告知，已核实死亡证明"
        )
        actions.approve_end(b, actor=mz)
    dibao = [b for b in made if b.programme.code == "DB" and b.status == "active"]
    for b in rng.sample(dibao, min(4, len(dibao))):
        actions.propose_end(
            b,
            actor=mz,
            reason=EndReason.NOT_ELIGIBLE,
            ends_on=month - dt.timedelta(days=1),
            note="家庭收入超过低保标准",
        )
        actions.approve_end(b, actor=mz)
    for b in rng.sample(elderly, min(2, len(elderly))):
        b.refresh_from_db()
        if b.status == Beneficiary.Status.ACTIVE:
            actions.propose_end(
                b, actor=mz, reason=EndReason.DIED, ends_on=month, note="网格员走访得知老人去世"
            )
    community = {code: district.clerks.get(code) for code in COMMUNITY_UNIT_OF_AREA.values()}
    for area_index, code in COMMUNITY_UNIT_OF_AREA.items():
        clerk = community.get(code)
        if clerk is None or area_index >= len(district.areas):
            continue
        homes = list(
            Household.objects.filter(grid__parent=district.areas[area_index]).order_by("code")
        )
        if not homes:
            continue
        home = homes[rng.randrange(len(homes))]
        birth = dt.date(rng.randint(1955, 1990), rng.randint(1, 12), rng.randint(1, 28))
        actions.propose_enrolment(
            actor=clerk,
            programme=programmes["DB"],
            household=home,
            name=names.person_name(rng),
            id_number=_id_number(rng, birth),
            applied_on=month,
            persons=rng.randint(1, 4),
            bank_name=rng.choice(BANKS),
            bank_account="6217" + "".join(str(rng.randint(0, 9)) for _ in range(15)),
            note="家庭人均收入低于当地低保标准",
        )
