"""What kind of numeric goal a plan figure is, read from its wording (issue 12).

A goal's type decides how progress towards it is recorded and judged:

- ``accumulate``: dated entries add up (建设委员工作室10家, 新增就业900万人, 计划投资3亿元);
- ``level``: the latest reported value is compared with the target, with its bound and 左右
  tolerance (地区生产总值增长5%左右, 粮食产量1.3万亿斤以上, 覆盖率达到90%);
- ``ceiling``: the latest reported value must stay at or under the target (赤字率3%以内,
  控制在…以内);
- ``milestone``: done or not (建成1个…, …年内完工).

Pure functions over the metric's fields and quote; no I/O, nothing heavy imported.
"""

from __future__ import annotations

import re

ACCUMULATE, LEVEL, CEILING, MILESTONE = "accumulate", "level", "ceiling", "milestone"
GOAL_TYPES = (ACCUMULATE, LEVEL, CEILING, MILESTONE)
GOAL_TYPE_LABELS = {ACCUMULATE: "累计", LEVEL: "水平", CEILING: "上限", MILESTONE: "节点"}

# units that state a rate, a share or a multiple: such a figure is a level, never a sum
RATE_UNITS = ("%", "％", "‰", "个百分点", "百分点", "倍")

# a ceiling: the figure is a limit to stay under
_CEILING = re.compile(r"控制在|不超过|不高于")
# additions are counted up even when the sentence says 达到 (新增就业达到5400人)
_ADDITION = re.compile(r"新增|新建|新开工|新改建|新培育|新引进|新招|新发展|新登记|新设立|增加\d")
# the wording of a level: a rate, a total, a per-head figure, a standard, or a value to reach/keep
_LEVEL = re.compile(
    r"增长|增速|涨幅|上涨|下降|回落|降低|增幅|率|比重|占比|比例|系数|指数|人均|生均|能力|"
    r"产量|产值|总值|总额|总量|收入|规模|水平|标准(?!化)|达到|达(?=[\d约近超])|保持在|稳定在|提高到|提高至|提升到|提升至"
)
# these verbs make a single thing a milestone
_MILESTONE = re.compile(r"建成|完工|竣工|投用|投运|投产|开通|通车|挂牌|启用|落成|验收|开业|上线|获批|核准")
_SINGLE_UNITS = ("个", "座", "项", "条", "家", "所", "处", "套", "台", "栋", "部", "批")


def is_rate(unit: str) -> bool:
    """A percentage, per-mille, percentage points or a multiple."""
    return any(unit.endswith(u) for u in RATE_UNITS)


def classify(unit: str, bound: str | None, activity: str = "", quote: str = "", value=None) -> str:
    """The goal type a plan figure most likely has (the import review may change it)."""
    text = f"{activity} {quote}"
    if bound == "max" or _CEILING.search(quote):
        return CEILING
    if is_rate(unit):
        return LEVEL
    if value == 1 and unit in _SINGLE_UNITS and _MILESTONE.search(quote):
        return MILESTONE
    if _ADDITION.search(text):
        return ACCUMULATE
    # bound words alone (以上, 超过) are no sign of a level: 培训3500万人次以上 is a count
    return LEVEL if _LEVEL.search(text) else ACCUMULATE


def asks_current_value(goal_type: str | None) -> bool:
    """Whether progress on this type is reported as the current value (当前值) rather than an
    amount done since the last entry (本次完成数量)."""
    return goal_type in (LEVEL, CEILING)
