"""The 五星级党支部 scheme (five-star party branch) as data, in the workbook's own layout.

Five stars — 责任机制星、政治引领星、组织管理星、服务群众星、先锋模范星 — each scored on the 五个基本
(基本组织、基本队伍、基本制度、基本活动、基本保障), 20 points a star, earned at 16; three review
levels: the branch's self-assessment (自评), review by its unit or township/street party committee
(审查) and acceptance by the district's evaluation group (考评验收). Two veto items (一票否决).

`workbook()` gives the bytes civgrid.appraisals.actions.import_scheme reads, so the shipped
scheme takes the same checked road as an office's own sheet (`civgrid import-scheme
five-star-branch`).
"""

from __future__ import annotations

from civgrid.lib import xlsx

CODE = "WXDZB"
NAME = "五星级党支部创建考评"

SCHEME = [
    ("方案编码", CODE),
    ("方案名称", NAME),
    ("考评对象", "党支部"),
    ("评定规则", "星级"),
    ("配额等次", ""),
    ("配额比例", ""),
    (
        "说明",
        "以“五个基本”为基础评定五颗星：责任机制星、政治引领星、组织管理星、服务群众星、先锋模范星。"
        "每颗星20分，达16分得星；三级评定：支部自评、上级党组织审查、区考评验收组验收；一年一评，实行升降星。",
    ),
]

# (star code, star, pass mark, criterion code, criterion, point code, point, points,
#  evidence, evidence kind, veto)
STARS: list[tuple[str, str, str]] = [
    ("ZR", "责任机制星", "16"),
    ("ZZ", "政治引领星", "16"),
    ("ZG", "组织管理星", "16"),
    ("FW", "服务群众星", "16"),
    ("XF", "先锋模范星", "16"),
]

POINTS: list[tuple[str, str, str, str, str, str, str, str]] = [
    # star, criterion code, criterion, point code, point, points, evidence, evidence kind
    (
        "ZR",
        "ZR1",
        "基本组织：党建责任落实",
        "ZR1-1",
        "书记抓党建责任清单明确，年初有计划、年中有推进、年底有述职",
        "6",
        "责任清单、述职报告",
        "文件",
    ),
    (
        "ZR",
        "ZR1",
        "基本组织：党建责任落实",
        "ZR1-2",
        "支委会分工明确，每名支委有具体职责",
        "4",
        "支委分工文件",
        "文件",
    ),
    (
        "ZR",
        "ZR2",
        "基本制度：工作机制",
        "ZR2-1",
        "建立党建工作与业务工作同谋划同部署同考核机制",
        "5",
        "会议记录、考核办法",
        "文件",
    ),
    (
        "ZR",
        "ZR2",
        "基本制度：工作机制",
        "ZR2-2",
        "落实意识形态工作责任制，定期分析研判",
        "5",
        "研判记录",
        "文件",
    ),
    (
        "ZZ",
        "ZZ1",
        "基本活动：政治学习",
        "ZZ1-1",
        "落实“三会一课”，每月开展主题党日",
        "8",
        "会议记录、活动照片",
        "文件或照片",
    ),
    (
        "ZZ",
        "ZZ1",
        "基本活动：政治学习",
        "ZZ1-2",
        "党员学习教育常态化，学习强国等平台参学率高",
        "6",
        "学习台账、截图",
        "文件或照片",
    ),
    (
        "ZZ",
        "ZZ2",
        "基本组织：政治功能",
        "ZZ2-1",
        "严格执行民主集中制，重大事项集体研究决定",
        "6",
        "会议纪要",
        "文件",
    ),
    (
        "ZG",
        "ZG1",
        "基本队伍：党员管理",
        "ZG1-1",
        "党员信息准确，党费按时足额收缴",
        "5",
        "党员花名册、党费收缴记录",
        "文件",
    ),
    (
        "ZG",
        "ZG1",
        "基本队伍：党员管理",
        "ZG1-2",
        "发展党员程序规范，入党积极分子培养有记录",
        "5",
        "发展党员档案",
        "文件",
    ),
    (
        "ZG",
        "ZG2",
        "基本保障：阵地建设",
        "ZG2-1",
        "党员活动室“六有”标准，标识规范",
        "5",
        "阵地照片",
        "照片",
    ),
    (
        "ZG",
        "ZG2",
        "基本保障：阵地建设",
        "ZG2-2",
        "党建档案资料齐全，分类归档",
        "5",
        "档案目录",
        "文件",
    ),
    (
        "FW",
        "FW1",
        "基本活动：为民服务",
        "FW1-1",
        "党员志愿服务常态化，每名党员每年参加志愿服务不少于4次",
        "7",
        "志愿服务记录、照片",
        "文件或照片",
    ),
    (
        "FW",
        "FW1",
        "基本活动：为民服务",
        "FW1-2",
        "开展“我为群众办实事”，有清单有销号",
        "7",
        "办实事清单",
        "文件",
    ),
    (
        "FW",
        "FW2",
        "基本制度：联系群众",
        "FW2-1",
        "党员联系户制度落实，群众诉求及时回应",
        "6",
        "联系户台账",
        "文件",
    ),
    (
        "XF",
        "XF1",
        "基本队伍：示范作用",
        "XF1-1",
        "党员在创建文明城市等中心工作中亮身份、作表率",
        "8",
        "活动照片、事迹材料",
        "文件或照片",
    ),
    (
        "XF",
        "XF1",
        "基本队伍：示范作用",
        "XF1-2",
        "支部或党员获得县级以上表彰",
        "6",
        "表彰文件",
        "文件",
    ),
    (
        "XF",
        "XF2",
        "基本保障：纪律作风",
        "XF2-1",
        "开展警示教育，党员无违纪违法行为",
        "6",
        "警示教育记录",
        "文件",
    ),
    (
        "XF",
        "XF2",
        "基本保障：纪律作风",
        "XF2-2",
        "支部党员发生严重违纪违法行为（一票否决）",
        "0",
        "纪检部门通报",
        "无",
    ),
    (
        "ZR",
        "ZR2",
        "基本制度：工作机制",
        "ZR2-3",
        "发生重大安全责任事故或群体性事件（一票否决）",
        "0",
        "相关部门通报",
        "无",
    ),
]
VETO = {"XF2-2", "ZR2-3"}

LEVELS = [
    ("1", "支部自评", "自评", ""),
    ("2", "上级党组织审查", "上级审查", ""),
    ("3", "区考评验收组验收", "考评验收组", ""),
]


def workbook() -> bytes:
    """The scheme as an import workbook (方案, 考评标准, 审核层级)."""
    book = xlsx.new_workbook()
    ws = xlsx.sheet(book, "方案", [("项目", 14), ("内容", 80)])
    for row in SCHEME:
        xlsx.append(ws, list(row))
    headers = [
        "星编码",
        "星/维度",
        "达标分",
        "内容编码",
        "考评内容",
        "要点编码",
        "评分要点",
        "分值",
        "佐证材料",
        "佐证类型",
        "一票否决",
    ]
    ws = xlsx.sheet(book, "考评标准", [(h, 12) for h in headers])
    stars = {code: (name, mark) for code, name, mark in STARS}
    for star, c_code, c_name, p_code, text, points, evidence, kind in POINTS:
        name, mark = stars[star]
        veto = "是" if p_code in VETO else "否"
        xlsx.append(
            ws, [star, name, mark, c_code, c_name, p_code, text, points, evidence, kind, veto]
        )
    ws = xlsx.sheet(book, "审核层级", [("顺序", 8), ("名称", 20), ("由谁", 14), ("单位", 20)])
    for level in LEVELS:
        xlsx.append(ws, list(level))
    return xlsx.to_bytes(book)
