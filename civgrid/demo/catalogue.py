"""What the demo district knows: its units, problem categories and the words of its ledger."""

from __future__ import annotations

from dataclasses import dataclass

from civgrid.org.models import Unit

K = Unit.Kind

# (code, name, kind): ~20 responsible units (责任单位) of 川汇区 and 七一路街道.
UNITS: tuple[tuple[str, str, str], ...] = (
    ("CGJ", "城市管理局", K.DISTRICT_DEPARTMENT),
    ("SCJ", "市场监督管理局", K.DISTRICT_DEPARTMENT),
    ("ZJJ", "住房和城乡建设局", K.DISTRICT_DEPARTMENT),
    ("HBJ", "生态环境分局", K.DISTRICT_DEPARTMENT),
    ("JJDD", "交警大队", K.DISTRICT_DEPARTMENT),
    ("YJJ", "应急管理局", K.DISTRICT_DEPARTMENT),
    ("XFDD", "消防救援大队", K.DISTRICT_DEPARTMENT),
    ("WJW", "卫生健康委员会", K.DISTRICT_DEPARTMENT),
    ("JTJ", "教育体育局", K.DISTRICT_DEPARTMENT),
    ("MZJ", "民政局", K.DISTRICT_DEPARTMENT),
    ("WGLJ", "文化广电和旅游局", K.DISTRICT_DEPARTMENT),
    ("JTYSJ", "交通运输局", K.DISTRICT_DEPARTMENT),
    ("YLZX", "园林绿化中心", K.DISTRICT_DEPARTMENT),
    ("QYLJD", "七一路街道办事处", K.TOWNSHIP),
    ("SQ-QYL", "七一路社区居委会", K.VILLAGE),
    ("SQ-GH", "国槐社区居委会", K.VILLAGE),
    ("SQ-JTL", "交通路社区居委会", K.VILLAGE),
    ("SQ-BY", "八一社区居委会", K.VILLAGE),
    ("GDGS", "供电公司", K.PARTNER),
    ("ZLSGS", "自来水公司", K.PARTNER),
)
# The 片区 (by index) whose community has a residents' committee among the units.
COMMUNITY_UNIT_OF_AREA = {0: "SQ-QYL", 1: "SQ-GH", 2: "SQ-JTL", 3: "SQ-BY"}


@dataclass(frozen=True)
class CategorySpec:
    code: str
    name: str
    unit: str  # default responsible unit
    days: tuple[int, int, int]  # working days for normal, urgent, critical
    problems: tuple[str, ...]  # "{place}" is filled in
    fixes: tuple[str, ...]
    wrong_unit: str  # the unit a case is sometimes misrouted to (and returned from)
    alternates: tuple[str, ...] = ()  # units that also take some of these cases


CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        "ZDJY",
        "占道经营",
        "CGJ",
        (5, 2, 1),
        (
            "{place}路边流动摊贩占道经营，堵塞人行道",
            "{place}店外摆摊经营，占用盲道",
            "{place}早市摊位越线经营，影响通行",
        ),
        ("已劝离流动摊贩，规范店外经营", "已约谈店主，物品已收回店内"),
        "SCJ",
    ),
    CategorySpec(
        "LDLF",
        "乱堆乱放",
        "QYLJD",
        (5, 2, 1),
        ("{place}楼道口杂物乱堆乱放", "{place}路边堆放建筑垃圾", "{place}绿地内堆放废旧家具"),
        ("已组织清理，杂物全部清运", "已清运建筑垃圾并设置提示牌"),
        "CGJ",
    ),
    CategorySpec(
        "LJQY",
        "垃圾清运不及时",
        "CGJ",
        (2, 1, 1),
        ("{place}垃圾桶满溢，未及时清运", "{place}垃圾收集点周边异味大、垃圾散落"),
        ("已安排环卫车辆清运，增加清运频次", "已清运并冲洗垃圾收集点"),
        "QYLJD",
    ),
    CategorySpec(
        "XGG",
        "小广告乱贴乱画",
        "CGJ",
        (5, 3, 1),
        ("{place}墙面、电线杆小广告乱贴乱画", "{place}楼道内喷涂开锁、办证广告"),
        ("已组织人员铲除小广告并粉刷墙面", "已清除并对涉及电话号码进行停机处理"),
        "QYLJD",
    ),
    CategorySpec(
        "DLPS",
        "道路破损",
        "ZJJ",
        (10, 5, 2),
        ("{place}路面坑洼破损，雨天积水", "{place}人行道地砖松动破损"),
        ("已修补路面坑槽", "已更换破损地砖并压实"),
        "CGJ",
        ("JTYSJ",),
    ),
    CategorySpec(
        "JGQS",
        "井盖缺失破损",
        "ZJJ",
        (3, 1, 1),
        ("{place}雨水井盖缺失，存在安全隐患", "{place}污水井盖破裂下陷"),
        ("已更换新井盖并设置警示", "已加装防坠网并更换井盖"),
        "CGJ",
        ("ZLSGS", "GDGS"),
    ),
    CategorySpec(
        "GYGG",
        "公益广告缺失",
        "QYLJD",
        (10, 5, 3),
        ("{place}围挡公益广告缺失破损", "{place}公益广告褪色、内容过期"),
        ("已更换讲文明树新风公益广告", "已重新张贴社会主义核心价值观宣传画"),
        "CGJ",
        ("WGLJ",),
    ),
    CategorySpec(
        "XFAQ",
        "消防安全隐患",
        "XFDD",
        (3, 1, 1),
        ("{place}消防通道被车辆堵塞", "{place}灭火器过期、应急灯损坏", "{place}电动车楼道内充电"),
        ("已清理消防通道并施划禁停标线", "已更换灭火器和应急照明灯", "已劝导住户，拆除飞线充电"),
        "SCJ",
        ("YJJ",),
    ),
    CategorySpec(
        "JDCLT",
        "机动车乱停乱放",
        "JJDD",
        (3, 1, 1),
        ("{place}机动车占用人行道停放", "{place}路口车辆乱停，影响通行"),
        ("已贴单告知并拖移违停车辆", "已施划停车泊位，安排交警巡查"),
        "CGJ",
    ),
    CategorySpec(
        "LHD",
        "绿化带损毁",
        "YLZX",
        (10, 5, 2),
        ("{place}绿化带被踩踏、苗木缺失", "{place}绿地内私自种菜"),
        ("已补植苗木并设置护栏", "已清除私种菜地并恢复绿化"),
        "CGJ",
    ),
    CategorySpec(
        "LDBL",
        "路灯不亮",
        "CGJ",
        (5, 2, 1),
        ("{place}路灯连续多日不亮", "{place}路灯杆倾斜、灯罩脱落"),
        ("已更换灯具，路灯恢复照明", "已扶正灯杆并加固"),
        "ZJJ",
        ("GDGS",),
    ),
    CategorySpec(
        "GCWS",
        "公厕卫生差",
        "CGJ",
        (2, 1, 1),
        ("{place}公厕地面脏污、异味大", "{place}公厕洗手池损坏、无洗手液"),
        ("已安排专人保洁，增加保洁频次", "已维修洗手池并补充洗手液"),
        "QYLJD",
    ),
    CategorySpec(
        "NMSC",
        "农贸市场秩序",
        "SCJ",
        (5, 2, 1),
        ("{place}农贸市场摊位出店经营、地面湿滑", "{place}市场内活禽宰杀区卫生差"),
        ("已规范摊位划行归市，安排保洁", "已督促市场方整改并落实日常巡查"),
        "CGJ",
    ),
    CategorySpec(
        "CKFW",
        "窗口服务不规范",
        "MZJ",
        (5, 3, 1),
        ("{place}窗口工作人员未佩戴工作牌", "{place}服务窗口无便民设施、无意见箱"),
        ("已约谈窗口负责人，规范亮牌服务", "已配齐便民服务箱和意见簿"),
        "QYLJD",
        ("WJW", "SCJ"),
    ),
    CategorySpec(
        "ZYRM",
        "噪音扰民",
        "HBJ",
        (5, 2, 1),
        ("{place}夜间施工噪音扰民", "{place}商户音响外放声音过大"),
        ("已责令停止夜间施工", "已劝导商户降低音量，签订承诺书"),
        "CGJ",
    ),
)

REJECT_REASONS = (
    "经核实，问题不属实",
    "不属于文明城市创建问题，已告知反映人拨打相关热线",
    "属于私人物业纠纷，建议通过法律途径解决",
    "描述不清，无法定位，已电话联系反映人",
)
RETURN_REASONS = (
    "该问题不属于本单位职责范围，请重新交办",
    "经现场查看，应由属地或其他部门处理",
)
EXTENSION_REASONS = (
    "需协调多部门联合整改，申请延期",
    "需采购材料，施工周期较长",
    "连续降雨，无法施工",
)
REFUSAL_NOTES = ("问题简单，应按期完成", "理由不充分，请抓紧整改")
REWORK_REASONS = ("复查发现问题反弹", "整改不彻底，照片与现场不符", "仍有部分未整改到位")
REPLIES = (
    "您反映的问题已整改完毕，感谢您对文明城市创建工作的支持！",
    "您好，问题已交责任单位处理完毕，欢迎继续监督。",
    "经核查，您反映的问题已解决，如有反弹请再次反映。",
)
REJECT_REPLIES = (
    "您好，经核实该问题不属于创建工作范围，已为您转告相关部门。",
    "您好，经现场核实未发现所反映问题，感谢关注。",
)
URGES = ("请加快整改进度，确保按期销号", "该问题已超期，请立即整改并反馈", "领导督办：限期整改到位")
COMMENTS = ("已电话联系责任单位", "已现场查看，情况属实", "已告知反映人处理进度")
