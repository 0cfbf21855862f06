"""Demo safety checks: the shipped checklist, and a winter fire-safety campaign like the seed's
("派出18个检查组，检查企业165家，隐患整改率98.17%，约谈警示企业1家"): 18 groups, every venue checked through the
real actions, hidden dangers on the ledger, most fixed on the spot or crossed off after 复查 by
the regulating units and inspectors, one still open and its enterprise summoned (约谈).
"""

from __future__ import annotations

import datetime as dt
import io
import random

import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image

from civgrid.cases import actions as case_actions
from civgrid.cases.models import Category, DeadlineRule, Urgency
from civgrid.demo.district import District
from civgrid.org.models import Person
from civgrid.safety import campaigns, sample
from civgrid.safety.actions import import_checklist
from civgrid.safety.checks import ItemAnswer, record_check
from civgrid.safety.escalation import record_interview
from civgrid.safety.models import Campaign, Hazard
from civgrid.safety.queries import items_for_kind

GROUPS = 18
FAIL_RATE = 0.035
FIXED_ON_SPOT = 0.45
LEFT_OPEN = 1  # hazards still being rectified when the demo ends
# The ledger categories of hidden dangers, by checklist section, and the unit behind each.
CATEGORIES = (
    ("AQ-XF", "消防安全", "XFDD", 5),
    ("AQ-GL", "安全管理", "YJJ", 5),
    ("AQ-SP", "食品安全", "SCJ", 3),
)
NOTES = ("现场检查发现", "经营者当场承认", "已拍照留存", "")


def _photo(rng: random.Random) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), rng.choice(("gray", "brown", "darkgreen"))).save(out, "JPEG")
    return out.getvalue()


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    """Every step runs at its own past moment (time_machine), as civgrid.demo.casework does, so
    the ledger's times and deadlines read as if the campaign had happened."""
    office: User = district.office
    start = end - dt.timedelta(days=29) + dt.timedelta(hours=9)
    with time_machine.travel(start, tick=False):
        campaign = _plan(district, rng, office, end)
    moments = {}
    for assignment in campaign.assignments.select_related("enterprise", "group").order_by("id"):
        moment = end - dt.timedelta(days=rng.randint(2, 25), hours=rng.randint(6, 14))
        moments[assignment.pk] = moment
        checker = assignment.group.members.filter(role="inspector").first()
        assert checker is not None and checker.user is not None
        answers = []
        for item in items_for_kind(assignment.enterprise.kind, campaign.checklist):
            failed = rng.random() < FAIL_RATE
            on_spot = failed and rng.random() < FIXED_ON_SPOT
            answers.append(
                ItemAnswer(
                    item,
                    passed=not failed,
                    note=rng.choice(NOTES) if failed else "",
                    fixed_on_spot=on_spot,
                    fix_note="已现场整改" if on_spot else "",
                    photos=[_photo(rng)] if on_spot else [],
                )
            )
        with time_machine.travel(moment, tick=False):
            record_check(assignment, actor=checker.user, answers=answers)
    open_hazards = list(
        Hazard.objects.filter(
            safety_check__assignment__campaign=campaign, case__fixed_on_spot=False
        )
        .select_related("case__unit", "safety_check")
        .order_by("id")
    )
    for hazard in open_hazards[LEFT_OPEN:]:
        _rectify(district, rng, hazard, end)
    if open_hazards:  # the one still open is overdue: its enterprise is summoned (约谈)
        hazard = open_hazards[0]
        with time_machine.travel(end - dt.timedelta(days=1) + dt.timedelta(hours=10), tick=False):
            record_interview(
                actor=office,
                enterprise=hazard.enterprise,
                held_on=timezone.localdate(),
                attendees=f"{hazard.enterprise.legal_person}（法定代表人）；区应急管理局、消防救援大队",
                findings=f"{hazard.item.text}：隐患逾期未整改",
                commitments="5日内完成整改并报告\n每周开展一次防火巡查并留存记录",
                follow_up_on=timezone.localdate() + dt.timedelta(days=7),
                record=_photo(rng),
                campaign=campaign,
                hazards=[hazard],
            )


def _plan(district: District, rng: random.Random, office: User, end: dt.datetime) -> Campaign:
    result = import_checklist(
        sample.workbook_bytes(),
        actor=office,
        code="2026",
        name="九小场所及企业安全检查表",
        source_name=sample.PATH.name,
        make_current=True,
    )
    assert result.ok, result.problems
    for code, name, unit_code, working_days in CATEGORIES:
        category, created = Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "working_days": working_days,
                "default_unit": district.units.get(unit_code),
            },
        )
        if created:  # as the district's own categories: a rule per urgency
            DeadlineRule.objects.bulk_create(
                DeadlineRule(category=category, urgency=urgency, working_days=days)
                for urgency, days in zip(Urgency.values, (working_days, 2, 1), strict=True)
            )
    today = timezone.localdate()
    campaign = campaigns.plan_campaign(
        actor=office,
        name="2026年冬春火灾防控专项检查",
        region=district.district,
        starts_on=today,
        ends_on=timezone.localtime(end).date() + dt.timedelta(days=14),
    )
    inspectors = list(Person.objects.filter(user__in=district.inspectors).order_by("id"))
    workers = list(Person.objects.filter(user__in=district.workers).order_by("id"))
    numerals = "一二三四五六七八九十"
    for g in range(GROUPS):
        name = f"第{numerals[g] if g < 10 else '十' + numerals[g - 10]}检查组"
        members = [inspectors[g % len(inspectors)], *rng.sample(workers, 2)]
        campaigns.form_group(campaign, actor=office, name=name, members=members)
    campaigns.divide(campaign, actor=office, by="grid", now=timezone.now())
    return campaign


def _rectify(district: District, rng: random.Random, hazard: Hazard, end: dt.datetime) -> None:
    """The unit fixes and reports; the inspector who found it re-inspects (复查) and passes."""
    case = hazard.case
    clerk = district.clerks.get(case.unit.code) if case.unit else None
    if clerk is None:
        return
    found = hazard.found_at
    span = end - found
    with time_machine.travel(found + span * 0.1, tick=False):
        case = case_actions.accept(case, actor=clerk, expected_version=case.version)
    with time_machine.travel(found + span * rng.uniform(0.2, 0.5), tick=False):
        case = case_actions.submit(
            case,
            actor=clerk,
            expected_version=case.version,
            note="已按要求整改完毕",
            photos=[_photo(rng)],
        )
    with time_machine.travel(found + span * rng.uniform(0.6, 0.9), tick=False):
        case_actions.verify_pass(
            case,
            actor=hazard.safety_check.checked_by,
            expected_version=case.version,
            note="复查合格，予以销号",
        )
