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
from dataclasses import dataclass

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


# levels where less is better: a rate of unemployment or prices, consumption, emissions, debt, accidents
_LOWER_IS_BETTER = re.compile(
    r"失业率|涨幅|价格|能耗|排放|赤字|负债|债务|事故|死亡|发生率|下降|降低|压减|减少"
)


def lower_is_better(activity: str) -> bool:
    """Whether a level goal is missed by going above its target (失业率, 涨幅) rather than below."""
    return bool(_LOWER_IS_BETTER.search(activity))


def is_rate(unit: str) -> bool:
    """A percentage, per-mille, percentage points or a multiple."""
    return unit.endswith(RATE_UNITS)


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


# lights a goal can take (the commitment's five, see README 亮灯规则)
DONE, GREEN, YELLOW, RED, OVERDUE = "done", "green", "yellow", "red", "overdue"
# a goal whose share done trails the calendar's share by no more than this is 关注, beyond it 滞后
YELLOW_GAP = 0.15
# 左右 on a level goal: within this share of the target either way counts as on target
APPROX_TOLERANCE = 0.1
# a ceiling used up to this share is 关注
CEILING_WARN = 0.95
# a level goal with nothing reported yet is 关注 from this share of its period
NO_REPORT_WARN = 0.25
DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class GoalState:
    """Where a numeric goal stands at a date: the figure to show, its share of the target, the light."""

    progress: float | None  # the sum (accumulate, milestone) or the latest value (level, ceiling)
    share: float | None  # progress / target; for a ceiling, the share of the ceiling used
    light: str
    met: bool


def current_value(goal_type: str | None, entries: list[tuple[str, float]], as_of: str) -> float | None:
    """The goal's figure at `as_of` (ISO date) from dated entries: the sum of those on or before it,
    or, for a level or a ceiling, the latest of them (None when there is none)."""
    known = [(day, amount) for day, amount in entries if day and day[:10] <= as_of]
    if asks_current_value(goal_type):
        if not known:
            return None
        return max(enumerate(known), key=lambda e: (e[1][0][:10], e[0]))[1][1]
    return float(sum(amount for _, amount in known))


def evaluate(
    goal_type: str | None,
    target: float | None,
    bound: str | None,
    approx: bool,
    value: float | None,
    expected: float,
    days_left: int | None = None,
    lower_better: bool = False,
) -> GoalState:
    """Judge a goal's figure (`current_value`) against its target and the calendar.

    `expected` is the share of the goal's period elapsed (序时进度, 1.0 once it is over);
    `days_left` the days until its deadline (None when it has none); `lower_better` for a level
    missed by going above it (`lower_is_better`).
    """
    final = expected >= 1.0
    goal_type = goal_type or ACCUMULATE
    if not target:
        return GoalState(value, None, YELLOW, False)
    share = None if value is None else max(0.0, value) / target
    if goal_type == CEILING or bound == "max":
        return _ceiling(value, target, share, final)
    if goal_type == LEVEL:
        return _level(value, target, bound, approx, share, expected, lower_better)
    met = value is not None and value >= target
    if met:
        return GoalState(value, share, DONE, True)
    if final:
        return GoalState(value, share, OVERDUE, False)
    if goal_type == MILESTONE:
        soon = days_left is not None and days_left <= DUE_SOON_DAYS
        return GoalState(value, share, YELLOW if soon else GREEN, False)
    return GoalState(value, share, _gap_light(expected - (share or 0.0)), False)


def _gap_light(gap: float) -> str:
    if gap <= 1e-9:
        return GREEN
    return YELLOW if gap <= YELLOW_GAP else RED


def _ceiling(value, target, share, final) -> GoalState:
    if value is None:
        return GoalState(None, None, YELLOW if final else GREEN, False)
    if value > target + 1e-9:
        return GoalState(value, share, RED, False)
    if final:
        return GoalState(value, share, DONE, True)
    return GoalState(value, share, YELLOW if value >= target * CEILING_WARN else GREEN, False)


def _level(value, target, bound, approx, share, expected, lower_better) -> GoalState:
    final = expected >= 1.0
    if value is None:
        if final:
            return GoalState(None, None, OVERDUE, False)
        return GoalState(None, None, YELLOW if expected >= NO_REPORT_WARN else GREEN, False)
    tolerance = abs(target) * APPROX_TOLERANCE if approx else 0.0
    # a miss is a shortfall, or an excess where less is better; overshooting the right way is fine
    off = max(0.0, value - target) if lower_better else max(0.0, target - value)
    if off <= tolerance + 1e-9:
        return GoalState(value, share, DONE if final else GREEN, final)
    if final:
        return GoalState(value, share, OVERDUE, False)
    # how far from the target, as a share of it, beyond the tolerance
    miss = (off - tolerance) / abs(target)
    return GoalState(value, share, YELLOW if miss <= YELLOW_GAP else RED, False)
