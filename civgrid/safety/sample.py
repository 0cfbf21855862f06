"""The shipped sample checklist (安全检查表示例): the fire items the source documents name for
九小 venues (用火用电, 安全出口和疏散通道, 疏散指示标志和应急照明, 消火栓, 安全管理制度和巡查制度) plus
common fire and food-safety items. `civgrid import-checklist civgrid/safety/data/sample-checklist.xlsx
--code 2026 --name 安全检查表` loads it; `python -m civgrid.safety.sample` rewrites the file."""

from __future__ import annotations

from pathlib import Path

ALL = "全部"
FOOD = "小餐饮、小学校幼儿园、规上企业"
LODGING = "小旅馆、小学校幼儿园、小医院诊所、小美容洗浴"
# (code, section, item, venue kinds, grade, working days or None for the grade's default)
ITEMS: tuple[tuple[str, str, str, str, str, int | None], ...] = (
    ("XF-01", "消防安全", "用火用电规范，无私拉乱接电线、超负荷用电", ALL, "一般", 3),
    ("XF-02", "消防安全", "安全出口、疏散通道畅通，未锁闭、堵塞、占用", ALL, "重大", 1),
    ("XF-03", "消防安全", "疏散指示标志、应急照明完整好用", ALL, "一般", 5),
    (
        "XF-04",
        "消防安全",
        "室内外消火栓完好有效，水压正常",
        "规上企业、小旅馆、小歌舞娱乐、小网吧、小学校幼儿园、小医院诊所",
        "一般",
        5,
    ),
    ("XF-05", "消防安全", "灭火器配置足量且在有效期内，压力正常", ALL, "一般", 3),
    (
        "XF-06",
        "消防安全",
        "无“三合一”住人现象，经营场所内无人员住宿",
        "小商店、小餐饮、小生产加工、小美容洗浴、微型企业",
        "重大",
        3,
    ),
    ("XF-07", "消防安全", "电动自行车未在室内、楼道、安全出口停放充电", ALL, "一般", 1),
    (
        "XF-08",
        "消防安全",
        "燃气使用场所安装可燃气体报警装置并有效",
        "小餐饮、小学校幼儿园、规上企业",
        "一般",
        10,
    ),
    ("XF-09", "消防安全", "厨房与营业区域防火分隔，排油烟管道定期清洗", "小餐饮", "一般", 10),
    (
        "XF-10",
        "消防安全",
        "员工“一懂三会”（懂火灾危险性，会报警、会扑救初起火灾、会组织疏散）",
        ALL,
        "一般",
        10,
    ),
    (
        "XF-11",
        "消防安全",
        "装修材料符合防火要求，无易燃可燃夹芯彩钢板",
        "小歌舞娱乐、小网吧、小旅馆、小美容洗浴",
        "重大",
        None,
    ),
    ("GL-01", "安全管理", "安全管理制度、防火巡查制度建立并落实，有巡查记录", ALL, "一般", 5),
    ("GL-02", "安全管理", "明确安全负责人，签订安全责任书", ALL, "一般", 5),
    (
        "GL-03",
        "安全管理",
        "制定应急预案并定期组织演练",
        "规上企业、小旅馆、小学校幼儿园、小歌舞娱乐",
        "一般",
        10,
    ),
    (
        "GL-04",
        "安全管理",
        "危险化学品分类存放，专人管理，台账清楚",
        "规上企业、小生产加工",
        "重大",
        None,
    ),
    ("GL-05", "安全管理", "特种作业人员持证上岗", "规上企业、小生产加工、微型企业", "一般", 10),
    ("SP-01", "食品安全", "食品经营许可证、从业人员健康证齐全并公示", FOOD, "一般", 5),
    ("SP-02", "食品安全", "生熟分开，冷藏冷冻设施正常，无过期变质食品", FOOD, "一般", 2),
    ("SP-03", "食品安全", "餐具清洗消毒设施正常使用", FOOD, "一般", 3),
    ("SP-04", "食品安全", "学校食堂每餐食品留样48小时以上", "小学校幼儿园", "重大", 1),
)

HEADERS = ("编码", "类别", "检查内容", "适用场所", "隐患等级", "整改期限")
PATH = Path(__file__).parent / "data" / "sample-checklist.xlsx"


def workbook_bytes() -> bytes:
    from civgrid.lib import xlsx

    wb = xlsx.new_workbook(write_only=False)
    widths = (10, 12, 60, 40, 10, 10)
    ws = xlsx.sheet(wb, "检查表", list(zip(HEADERS, widths, strict=True)))
    for code, section, text, kinds, grade, days in ITEMS:
        ws.append([code, section, text, kinds, grade, days])
    return xlsx.to_bytes(wb)


if __name__ == "__main__":
    PATH.write_bytes(workbook_bytes())
