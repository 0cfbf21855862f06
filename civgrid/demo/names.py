"""Word lists for the demo district: people, streets, communities, places, problems.

Invented but plausible for 周口市川汇区; nothing here names a real person.
"""

from __future__ import annotations

import random

# Common surnames in Henan first, so the mix looks local.
SURNAMES = (
    "王李张刘陈杨赵孙郭马周黄吴徐朱胡高宋何韩郑梁谢罗许曹冯邓彭曾田董袁潘蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石贾夏付方白邹孟秦邱江尹薛闫段雷侯史陶贺"
    "顾毛郝龚邵万钱严武戴孔汤常牛耿侯鲁葛聂"
)
GIVEN_FIRST = "建国志秀桂丽海晓春新卫振永玉淑立俊浩子梓一欣雨宇思佳文明红德金广光"
GIVEN_SECOND = "强英兰娟燕华东刚梅芬新杰然涵萱诺怡桐轩远伟芳娜敏静磊军洋勇艳涛超霞平辉鹏琳"
SINGLE_GIVEN = "伟芳娜敏静磊军洋勇艳杰娟涛明超霞平刚辉鹏丽强斌博峰琳"

STREETS = (
    "七一路",
    "国槐街",
    "交通路",
    "八一大道",
    "中州大道",
    "人民路",
    "五一路",
    "文明路",
    "建设大道",
    "工农路",
    "新民街",
    "育新街",
    "富民路",
    "大庆路",
    "莲花路",
    "太昊路",
    "汉阳路",
    "滨河路",
    "六一路",
    "光明路",
    "清华街",
    "红旗街",
    "民主街",
    "解放路",
)

# One community (社区) per 片区; the first few have a residents' committee among the units.
COMMUNITIES = (
    "七一路社区",
    "国槐社区",
    "交通路社区",
    "八一社区",
    "中州社区",
    "人民路社区",
    "新华社区",
    "工农社区",
    "文明路社区",
    "五一路社区",
    "建设社区",
    "育新社区",
    "东新社区",
)
CHINESE_ORDINALS = (
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
)

ESTATES = (
    "阳光花园",
    "锦绣家园",
    "金色港湾",
    "世纪花园",
    "富民小区",
    "文昌苑",
    "幸福里",
    "和谐家园",
    "天明城",
    "书香苑",
    "翰林华府",
    "东方明珠",
    "盛世名门",
    "怡和苑",
    "丽水佳园",
    "建业森林半岛",
    "颍河湾",
    "香榭丽舍",
    "馨园小区",
    "商贸城家属院",
    "供电局家属院",
    "粮食局家属院",
)
SHOPS = (
    "饭店",
    "超市",
    "理发店",
    "宾馆",
    "网吧",
    "五金店",
    "诊所",
    "烧烤店",
    "便利店",
    "洗浴中心",
    "培训学校",
    "汽修店",
    "水果店",
    "药店",
    "干洗店",
    "烟酒店",
)
SHOP_WORDS = (
    "老王",
    "好运来",
    "鑫源",
    "顺发",
    "聚福",
    "万家",
    "惠民",
    "金鼎",
    "家家乐",
    "兴隆",
    "豫东",
    "三川",
    "周记",
    "鸿运",
    "福满楼",
    "平安",
    "红太阳",
    "新世纪",
    "百姓",
    "老街坊",
)
ENTERPRISE_WORDS = ("豫东", "三川", "颍河", "鑫源", "恒达", "中原", "宏图", "永盛", "润华", "天成")
ENTERPRISE_KINDS = (
    "食品有限公司",
    "物流有限公司",
    "建材有限公司",
    "印务有限公司",
    "物业服务有限公司",
    "商贸有限公司",
    "纺织有限公司",
)
WINDOWS = (
    "川汇区政务服务中心",
    "中国移动营业厅",
    "国家电网营业厅",
    "工商银行",
    "邮政储蓄银行",
    "社保服务窗口",
    "不动产登记窗口",
    "中国联通营业厅",
    "农商银行",
)
HOSPITALS = ("川汇区人民医院", "社区卫生服务中心", "中医院门诊部", "妇幼保健站")
TRANSPORT = ("周口汽车中心站", "公交总站", "公交换乘中心", "出租车候客点")
VILLAGES = ("李庄", "王营", "孙庄", "陈楼", "刘寨", "张庄", "许湾", "赵楼")


def person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    if rng.random() < 0.3:
        return surname + rng.choice(SINGLE_GIVEN)
    return surname + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)


def unique_names(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    names: list[str] = []
    while len(names) < n:
        name = person_name(rng)
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def mobile(rng: random.Random) -> str:
    prefix = rng.choice(("135", "136", "137", "138", "139", "150", "151", "158", "182", "187"))
    return prefix + "".join(rng.choice("0123456789") for _ in range(8))
