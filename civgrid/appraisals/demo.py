"""Demo star ratings: the 五星级党支部 scheme, the 41 branches of the source (17 机关, 3 学校,
18 村社区, 3 两新), last year's cycle finished (公示 over, results fixed) and this year's under
way with files at every level — all through the app's action functions.

Logins: the branches' fillers are `dzb_jiguan` (the 机关 branches are filled by their units'
clerks too), `dzb_xuexiao`, `dzb_shequ` and `dzb_liangxin`; the acceptance group is the
district's inspectors; the parent committees are the clerks of 教育体育局 and 七一路街道办事处.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from civgrid.appraisals import actions, cycles, results
from civgrid.appraisals.data import five_star_branch
from civgrid.appraisals.models import Enrolment, PartyBranch, Scheme
from civgrid.demo import names
from civgrid.demo.district import DEMO_PASSWORD, District
from civgrid.lib import xlsx
from civgrid.org.models import Person, Role

ORGANS = (
    ("CGJ", "区城市管理局机关党支部"),
    ("SCJ", "区市场监督管理局机关党支部"),
    ("ZJJ", "区住房和城乡建设局机关党支部"),
    ("HBJ", "生态环境分局机关党支部"),
    ("JJDD", "交警大队党支部"),
    ("YJJ", "区应急管理局机关党支部"),
    ("XFDD", "消防救援大队党支部"),
    ("WJW", "区卫生健康委员会机关党支部"),
    ("JTJ", "区教育体育局机关党支部"),
    ("MZJ", "区民政局机关党支部"),
    ("WGLJ", "区文化广电和旅游局机关党支部"),
    ("JTYSJ", "区交通运输局机关党支部"),
    ("YLZX", "区园林绿化中心党支部"),
    ("QYLJD", "七一路街道机关第一党支部"),
    ("QYLJD", "七一路街道机关第二党支部"),
    ("GDGS", "供电公司七一路供电所党支部"),
    ("ZLSGS", "自来水公司营业所党支部"),
)
SCHOOLS = ("七一路小学党支部", "交通路小学党支部", "川汇区第五初级中学党支部")
COMMUNITIES = (
    "七一路社区党支部",
    "国槐社区党支部",
    "交通路社区党支部",
    "八一社区党支部",
    "富民社区党支部",
    "文明路社区党支部",
    "建设路社区党支部",
    "工农社区党支部",
    "新华社区党支部",
    "育新社区党支部",
    "和平社区党支部",
    "莲花社区党支部",
    "人和社区党支部",
    "东新社区党支部",
    "庆丰社区党支部",
    "朝阳社区党支部",
    "大庆路社区党支部",
    "太昊路社区党支部",
)
TWO_NEW = ("恒达物流有限公司党支部", "万顺商贸有限公司党支部", "安居物业服务有限公司党支部")
FILLERS = (
    ("dzb_jiguan", "QYLJD"),
    ("dzb_xuexiao", "JTJ"),
    ("dzb_shequ", "QYLJD"),
    ("dzb_liangxin", "QYLJD"),
)


def populate(district: District, rng: random.Random, *, end: dt.datetime, days: int) -> None:
    office = district.office
    scheme = _scheme(office)
    fillers = _fillers(district, rng)
    branches = _branches(district, rng, office, fillers)
    evaluators = [Person.objects.get(user=u) for u in district.inspectors[:3]]
    year = end.year
    last = cycles.open_cycle(scheme, actor=office, year=year - 1, publicity_days=5)
    this = cycles.open_cycle(scheme, actor=office, year=year, publicity_days=5)
    for cycle, trained in ((last, dt.date(year - 1, 11, 10)), (this, dt.date(year, 11, 10))):
        for person in evaluators:
            cycles.add_evaluator(cycle, person, trained_on=trained, actor=office)
    quality = {b.pk: rng.uniform(0.72, 1.0) for b in branches}
    # Last year: every file through every level, 公示 over, results fixed.
    for enrolment in cycles.enrol(last, branches, actor=office):
        _through(enrolment, rng, quality[enrolment.branch_id or 0], evaluators, upto=None)
    publicity_from = end - dt.timedelta(days=400)
    last = results.start_publicity(last, actor=office, now=publicity_from)
    assert last.publicity_ends_at is not None
    results.fix_results(last, actor=office, now=last.publicity_ends_at)
    # This year: files at every stage, the cycle still assessing.
    stages = ["new", "self", "sent_back", "review", "panel", "graded"]
    for i, enrolment in enumerate(cycles.enrol(this, branches, actor=office)):
        change = rng.uniform(-0.12, 0.1)
        q = min(1.0, max(0.5, quality[enrolment.branch_id or 0] + change))
        _through(enrolment, rng, q, evaluators, upto=stages[i % len(stages)])


def _scheme(office: User) -> Scheme:
    result = actions.import_scheme(five_star_branch.workbook(), actor=office)
    assert result.ok and result.scheme is not None, result.problems
    return actions.publish_scheme(result.scheme, actor=office)


def _fillers(district: District, rng: random.Random) -> dict[str, Person]:
    password = make_password(DEMO_PASSWORD)
    out: dict[str, Person] = {}
    for username, unit_code in FILLERS:
        user = get_user_model().objects.create(username=username, password=password)
        out[username] = Person.objects.create(
            user=user,
            name=names.person_name(rng),
            phone=names.mobile(rng),
            role=Role.UNIT_CLERK,
            unit=district.units[unit_code],
        )
    return out


def _branches(
    district: District, rng: random.Random, office: User, fillers: dict[str, Person]
) -> list[PartyBranch]:
    rows: list[list[object]] = []
    grids = district.grids
    for n, (unit, name) in enumerate(ORGANS, start=1):
        rows.append(
            [f"JG{n:02d}", name, "机关", district.district.code, "区直机关工委", unit, unit]
        )
    for n, name in enumerate(SCHOOLS, start=1):
        rows.append([f"XX{n:02d}", name, "学校", rng.choice(grids).code, "区教育工委", "JTJ", ""])
    for n, name in enumerate(COMMUNITIES, start=1):
        rows.append(
            [f"SQ{n:02d}", name, "村社区", rng.choice(grids).code, "七一路街道党工委", "QYLJD", ""]
        )
    for n, name in enumerate(TWO_NEW, start=1):
        rows.append(
            [f"LX{n:02d}", name, "两新", rng.choice(grids).code, "七一路街道党工委", "QYLJD", ""]
        )
    book = xlsx.new_workbook()
    ws = xlsx.sheet(
        book,
        "党支部",
        [
            (h, 14)
            for h in (
                "支部编码",
                "支部名称",
                "类型",
                "所在区域",
                "上级党组织",
                "上级单位",
                "所属单位",
                "书记",
                "联系电话",
                "党员人数",
            )
        ],
    )
    for row in rows:
        xlsx.append(ws, [*row, names.person_name(rng), names.mobile(rng), rng.randint(5, 60)])
    result = actions.import_branches(xlsx.to_bytes(book), actor=office)
    assert result.ok, result.problems
    branches = list(PartyBranch.objects.order_by("code"))
    by_kind = {
        "organ": "dzb_jiguan",
        "school": "dzb_xuexiao",
        "village": "dzb_shequ",
        "two_new": "dzb_liangxin",
    }
    for branch in branches:
        branch.fillers.add(fillers[by_kind[branch.kind]])
    return branches


def _scores(enrolment: Enrolment, rng: random.Random, quality: float) -> dict[str, Decimal]:
    out = {}
    for point in enrolment.cycle.scheme.points.all():
        got = point.max_points * Decimal(str(min(1.0, rng.uniform(quality - 0.1, quality + 0.1))))
        out[point.code] = (got * 2).quantize(Decimal("1")) / 2  # half points, as scorers give
    return out


def _through(
    enrolment: Enrolment,
    rng: random.Random,
    quality: float,
    evaluators: list[Person],
    *,
    upto: str | None,
) -> None:
    """Drive a file through the levels, stopping at `upto` (None: graded)."""
    branch = enrolment.branch
    assert branch is not None
    if upto == "new":
        return
    filler = branch.fillers.first()
    assert filler is not None and filler.user is not None
    parent = (
        Person.objects.filter(role=Role.UNIT_CLERK, unit__pk=branch.parent_unit_id or 0)
        .exclude(user=None)
        .exclude(pk=filler.pk)
        .first()
        or filler
    )
    panel = next(p for p in evaluators if p.unit_id is None or p.unit_id != branch.unit_id)
    scores = _scores(enrolment, rng, quality)
    cycles.score(enrolment, actor=filler.user, scores=scores, comment="按“五个基本”逐项自评")
    if upto == "self":
        return
    cycles.submit(enrolment, actor=filler.user)
    assert parent.user is not None
    if upto == "sent_back":
        cycles.send_back(
            enrolment, actor=parent.user, reason="请补充“三会一课”会议记录和主题党日活动照片"
        )
        return
    cycles.score(enrolment, actor=parent.user, scores=scores, comment="审查通过")
    if upto == "review":
        return
    cycles.submit(enrolment, actor=parent.user)
    if upto == "panel":
        return
    assert panel.user is not None
    final = _scores(enrolment, rng, quality - 0.03)
    cycles.score(enrolment, actor=panel.user, scores=final, comment="现场查看阵地，查阅台账")
    cycles.submit(enrolment, actor=panel.user)
