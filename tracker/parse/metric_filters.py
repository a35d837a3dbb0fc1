"""The figures of pass 4 that are quantities but no metric: shares of a whole, old standards,
restated plans, size classes, projects' sizes, comparisons with a base year, and plan figures that
restate last year or explain (issue 13). Each test takes the folded text and the figure."""

from __future__ import annotations

import re

from tracker.model import REVIEW
from tracker.numbers import Quantity

# --- figures that are quantities but neither a count of something done nor a goal ----------------
# the share of an outside whole: 占全国44%, 贡献了全国38.7%的, 占全球比重超过60%
_SHARE_OF_WHOLE = re.compile(r"占(?:全国|全球|世界)|(?:全国|全球|世界)(?:约|近|超过|超|达)?$")
# a starting value: 从每人每月202元、270元提高到209元 (the old standard), 由8600家增加到2.1万家
_CHANGE_TO = re.compile(
    r"(?:、[^，,；;。]{0,12}?)*[^，,；;。\d]{0,6}?"
    r"(?:提高|增加|增长|提升|上调|调高|调整|扩大|下降|降低|减少|缩小|压减|上升|增|降|升|调)(?:到|至|为)"
)
# a plan restated in the review: 超额完成国家下达的110万人年度任务, 超过原定的近2万亿元规模; 上述2万亿元
_RESTATED = re.compile(r"(?:原定|原计划|下达的?)[^，,；;。]{0,3}$|上述$")
# a size class, not a count: 引进5亿元以上项目40个, 50万元以上的村有3个
_SIZE_UNITS = ("元", "平方米", "亩", "吨", "千瓦", "公顷", "立方米")


_FIGURE_SEP = re.compile(r"[、\d%]")
_TO = re.compile(r"[到至]")


def not_a_count(folded: str, q: Quantity, clause_start: int) -> bool:
    """Shares of the nation, old standards, restated plans and size classes (see above)."""
    before = folded[clause_start : q.start]
    restated = "原" in before or "下达" in before or "上述" in before  # (`in` before re, issue 15)
    rate = q.unit in ("%", "‰")
    if rate or restated:
        # 增长31.2%、占全国44%: only this figure's own words, after the last separator (found in the
        # clause reversed: _FIGURE_SEP.split(before)[-1] built a list of every piece, issue 15)
        sep = _FIGURE_SEP.search(before[::-1])
        tail = before[len(before) - sep.start() :] if sep else before
        if rate and _SHARE_OF_WHOLE.search(tail):
            return True
        if restated and _RESTATED.search(tail):
            return True
    if "从" in before or "由" in before:  # (most clauses name neither: no rfind, issue 15)
        k = max(before.rfind("从"), before.rfind("由"))
        if not _TO.search(before, k) and _CHANGE_TO.match(folded, q.end):
            return True
    if q.bound == "min" and q.unit.endswith(_SIZE_UNITS) and folded[q.end - 2 : q.end] == "以上":
        nxt = folded[q.end : q.end + 1]
        if nxt and "\u4e00" <= nxt <= "\u9fff":
            return True
    return False


# --- class 2 (issue 13): a size, capacity or investment that describes a project --------------
_CAPACITY_UNITS = ("吨", "千瓦", "兆瓦", "吉瓦", "千伏安", "千伏", "标准箱", "标箱")
_AREA_UNITS = ("平方米", "亩", "公顷", "立方米", "平方公里")
# what a size names: a building, a plant or the project itself (6万平方米主力店, 5万千瓦风电)
_FACILITY = re.compile(
    r"项目|工程|小区|广场|商场|店|房|楼|馆|厂|矿|生产线|风电|电站|电厂|光伏|基地|园区|产业园|中心|仓储|"
    r"冷库|仓库|市场|综合体|大厦|酒店|住宅|码头|港区|机场|医院|学校|校区"
)
# work done on an area is a count (50万平方米老旧小区节能改造): the facility is its object
_WORK_ON = re.compile(
    r"改造|整治|治理|绿化|硬化|美化|亮化|修缮|维修|加固|拆除|拆迁|征收|搬迁|清理|修复|复垦|节能"
)
# the place or firm a project belongs to: 奋斗镇1万亩节水灌溉, 晨鸣公司3.5万吨造纸生产线
_OWNER_BEFORE = re.compile(r"(?:镇|乡|村|旗|县|苏木|嘎查|办事处|街道|公司|集团|企业|开发区|园区)$")
_NAME_STOP = set("，,;；。!！?？:：、（(\n和及与或等")
# projects still under way: 两个市民广场、…等工程进展顺利, …等重点项目前期工作
_UNDER_WAY = re.compile(
    r"等[^，,；;。]{0,8}?(?:项目|工程)(?:建设)?(?:进展顺利|顺利推进|有序推进|稳步推进|前期工作|加快推进)"
)
# a rate that names a policy: 降低工商业电价5%政策延长到今年年底
_POLICY_AFTER = re.compile(r"的?(?:政策|措施|优惠|办法)")


def names_a_project(folded: str, q: Quantity, cs: int, ce: int) -> bool:
    """A figure describing a project, a plant or a policy rather than counting what is done."""
    nxt = folded[q.end : q.end + 1]
    if q.unit.endswith("元") and nxt == "的":
        return True
    if q.unit in ("%", "个百分点") and _POLICY_AFTER.match(folded, q.end):
        return True
    if folded.find("等", q.end, ce + 12) >= 0 and _UNDER_WAY.search(folded, q.end, ce + 12):
        return True  # (find first: most clauses hold no 等, issue 15)
    capacity = q.unit.endswith(_CAPACITY_UNITS) and not q.unit.endswith("千瓦时")
    if not capacity and not q.unit.endswith(_AREA_UNITS):
        return False  # neither a capacity nor an area: nothing below applies (issue 15)
    noun = nxt and "\u4e00" <= nxt <= "\u9fff" and nxt not in _NAME_STOP and nxt not in "以左上下的"
    if capacity:
        # 年产50万吨饲料加工项目, 日处理3万吨污水处理厂: a capacity before a noun names a plant; at
        # a clause's end it is what is counted (新增装机容量20万千瓦)
        return bool(noun or nxt == "的")
    if not noun:
        return False
    if _OWNER_BEFORE.search(folded, max(cs, q.start - 4), q.start):
        return True
    k = q.end
    while k < ce and folded[k] not in _NAME_STOP:
        k += 1
    name = folded[q.end : k]
    f = _FACILITY.search(name)
    return bool(f and not _WORK_ON.search(name, f.end()))


_LIST_BREAK = re.compile("[，,;；。!！?？:：\n]")


def same_list(folded: str, prev_end: int, start: int) -> bool:
    """The figure continues a list (、 or 和) whose previous figure was a project's attribute."""
    if start - prev_end > 30:  # before slicing: the previous figure can be far (issue 15)
        return False
    between = folded[prev_end:start]
    return not _LIST_BREAK.search(between) and ("、" in between or "和" in between)


# --- class 1 (issue 13): comparisons with a base year -----------------------------------------
# 比去年增加1万亿元, 比2017年增加3.2平方米, 较3年前增长44%, 是2015年的2倍
_BASE = re.compile(
    r"(?:比|较|同|与)(?:(上年|去年|上一年|前一年)|((?:19|20)\d{2})年|([\d一二三四五六七八九十两]{1,2})年前)"
)
_TIMES_OF = re.compile(r"是(?:(?:19|20)\d{2}年|[\d一二三四五六七八九十两]{1,2}年前)的?$")


def compared_with_a_base(folded: str, q: Quantity, cs: int, part: str, review_year: int | None) -> bool:
    """A difference or multiple against an earlier base year (比2015年增加…, 较3年前增长44%, 是2015年的
    2倍) measures several years, not the year's count or goal. A change against last year (比上年增长8%,
    比上年增加1000亿元) is the year's own, and is kept (tests/test_genre2.py expects the national
    report's 比上年增加1800亿元)."""
    # the words after the clause's last 、 (rsplit("、", 1)[-1] without the list, issue 15)
    seg = folded[max(cs, folded.rfind("、", cs, q.start) + 1) : q.start]
    if q.unit == "倍" and _TIMES_OF.search(seg):
        return True
    if not ("比" in seg or "较" in seg or "同" in seg or "与" in seg):  # _BASE's first words (issue 15)
        return False
    bases = list(_BASE.finditer(seg))
    m = bases[-1] if bases else None  # the comparison nearest the figure
    if m is None or m.group(1):
        return False
    if m.group(3):  # 3年前
        return True
    last = None if review_year is None else review_year - (1 if part == REVIEW else 0)
    return int(m.group(2)) != last


# --- class 4 (issue 13): figures in the plan that are no goal ----------------------------------
# last year's result restated: 去年居民消费价格涨幅回落到2.6% (not 比去年, 较去年)
# each word checks behind it after matching: opening with the words lets re skip to 去, 上 or 过
# instead of trying the lookbehind at every position (issue 15)
_LAST_YEAR = re.compile(r"去年(?<![比较同与于]..)|上年(?<![比较同与于]..)|过去一年(?<![比较同与于]....)")
# the size of a population the task is about: 今年高校毕业生达874万人, 全国近3亿人领取养老金
_POPULATION = re.compile(
    r"(?:(?:毕业生|人口|老年人|农民工|劳动力|新生儿)(?:将|预计)?(?:达|约|近|超过|有|为)|"
    r"^(?:全国|全省|全市|全区|全县|全州)(?:有|约|近|超过)?)$"
)
_GOAL_WORDS = re.compile(r"要|确保|力争|争取|新增|完成|实现|控制|保持|不少于|不低于|不超过|以上|以内")
# explanations: 对两个指标作些说明, 翘尾影响约有1个百分点
_EXPLAINED = re.compile(r"(?:翘尾|影响|因素)(?:约|大约)?(?:有|为|是)?$")
_ABOUT_AFTER = re.compile(r"(?:指标|问题|原因|因素|考虑)")


def not_a_goal(folded: str, q: Quantity, cs: int, ce: int) -> bool:
    """A figure in the plan that restates last year, sizes what a task is about, or explains."""
    i = q.start
    lo = max(0, i - 80)
    # the sentence's start by rfind in C: a greedy match backtracked character by character (the
    # folded text has ; for ；)
    sent = max(lo, folded.rfind("。", lo, i) + 1, folded.rfind(";", lo, i) + 1, folded.rfind("\n", lo, i) + 1)
    before = folded[sent:i]
    last = None
    if "去年" in before or "上年" in before or "过去一年" in before:  # most sentences name neither
        mentions = list(_LAST_YEAR.finditer(before))
        last = mentions[-1] if mentions else None
    if last and "今年" not in before[last.end() :] and "明年" not in before[last.end() :]:
        return True
    seg = folded[cs : q.start]
    if q.unit.endswith("人") and _POPULATION.search(seg) and not _GOAL_WORDS.search(folded, cs, ce):
        return True
    if _EXPLAINED.search(seg):
        return True
    return q.unit == "个" and bool(_ABOUT_AFTER.match(folded, q.end))
