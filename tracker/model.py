"""The domain's names, once, and the plain data passed between the extractor and the rest of the library.

Each name is a `StrEnum` whose values are exactly what the database stores, so comparing a row's
column with a member works without conversion; the Chinese labels people see sit beside them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Part(StrEnum):
    """The two parts of a work report: 工作回顾 (what was done) and 工作安排 (what is planned)."""

    REVIEW = "review"
    PLAN = "plan"

    @property
    def label(self) -> str:
        return PART_LABELS[self]


PART_LABELS = {Part.REVIEW: "工作回顾", Part.PLAN: "工作安排"}
REVIEW = Part.REVIEW
PLAN = Part.PLAN


class Status(StrEnum):
    """A commitment's status as people set it; OVERDUE is derived (past due, not done), never stored."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "推进中"
    DONE = "已完成"
    BLOCKED = "受阻"
    OVERDUE = "已超期"


# the statuses a person may set (OVERDUE is computed from the deadline)
STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.BLOCKED)
DONE = Status.DONE


class Light(StrEnum):
    """A commitment's or goal's light (亮灯): the stored code, with its label and colour beside it.

    The five, in the order people read them: 已完成 · 正常 · 关注 · 滞后 · 已超期. A commitment is in
    exactly one (README 亮灯规则); `progress.light_counts` is the one place they are counted.
    """

    DONE = "done"
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self]

    @property
    def colour(self) -> str:
        return LIGHT_COLOURS[self]


LIGHT_LABELS = {
    Light.DONE: "已完成",
    Light.GREEN: "正常",
    Light.YELLOW: "关注",
    Light.RED: "滞后",
    Light.OVERDUE: "已超期",
}
LIGHT_COLOURS = {
    Light.DONE: "#1565c0",
    Light.GREEN: "#2e7d32",
    Light.YELLOW: "#f9a825",
    Light.RED: "#c62828",
    Light.OVERDUE: "#6a1b9a",
}


class ReportState(StrEnum):
    """The state of one unit's report on one commitment for one period."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"

    @property
    def label(self) -> str:
        return REPORT_STATE_LABELS[self]

    @property
    def colour(self) -> str:
        return REPORT_STATE_COLOURS[self]

    @classmethod
    def from_label(cls, label: str) -> ReportState:
        """The state a Chinese label (按时 / 逾期 / 未报) names, e.g. for a cell of `matrix`."""
        for state, text in REPORT_STATE_LABELS.items():
            if text == label:
                return state
        raise ValueError(label)


REPORT_STATE_LABELS = {ReportState.ON_TIME: "按时", ReportState.LATE: "逾期", ReportState.MISSING: "未报"}
# the colours of the lights: on time green, late yellow, missing red
REPORT_STATE_COLOURS = {
    ReportState.ON_TIME: LIGHT_COLOURS[Light.GREEN],
    ReportState.LATE: LIGHT_COLOURS[Light.YELLOW],
    ReportState.MISSING: LIGHT_COLOURS[Light.RED],
}
# most urgent first: what a leader reads first in a list (已超期, 滞后, 关注, 正常, 已完成)
LIGHT_URGENCY = {Light.OVERDUE: 0, Light.RED: 1, Light.YELLOW: 2, Light.GREEN: 3, Light.DONE: 4}


class Role(StrEnum):
    """What an account may do: admins everything, staff record progress, leaders read."""

    ADMIN = "admin"
    STAFF = "staff"
    LEADER = "leader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.ADMIN: "管理员", Role.STAFF: "工作人员", Role.LEADER: "领导"}
ROLES = tuple(Role)
# who the app itself is when it writes (seeding the sample report, the command line)
SYSTEM_USER = "system"


class Bound(StrEnum):
    """Which side of a numeric goal counts: 以上 (at least) or 以内 (at most)."""

    MIN = "min"
    MAX = "max"

    @property
    def label(self) -> str:
        return BOUND_LABELS[self]


BOUND_LABELS = {Bound.MIN: "以上", Bound.MAX: "以内"}

# where last year's figure in the year-on-year comparison came from: the report's own number, or
# (when the report hid it) the count logged against the organisation's previous report
REPORTED = "报告"
PREVIOUS_LOGGED = "上年登记"


@dataclass
class Section:
    part: str  # "review" | "plan"
    number: int  # 1-based inside its part (一、 -> 1, （三） -> 3); 0 when unnumbered
    title: str  # heading text without its numbering
    level: int = 1  # 1 for 一、, 2 for （一） under it
    start: int = 0  # offset of the heading in the decoded text


@dataclass
class Item:
    part: str
    section: int  # number of the enclosing level-1 section, 0 when none
    title: str  # lead phrase without closing punctuation, as written
    text: str  # the whole text of the commitment (lead phrase included)
    start: int = 0  # offset of the title in the decoded text
    due: str | None = None  # ISO date read from the text (年内 -> year end, 上半年 -> 06-30)
    kind: str = "lead"  # "lead" | "task" | "enum" | "appendix"
    owner: str = ""  # 牵头/责任单位 named in the text (（牵头单位：市发改委）), else ""
    co_owner: str = ""  # 配合/协办单位 named in the text


@dataclass
class Metric:
    part: str
    kind: str  # "count" (review) | "target" (plan)
    value: float | int | None  # None when redacted
    unit: str  # measure word as written, scale included: 次, 件, 万人, 亿元, %
    approx: bool = False
    bound: str | None = None  # "min" | "max" | None
    redacted: bool = False
    activity: str = ""  # what is counted, e.g. 专题协商
    quote: str = ""  # verbatim substring of the decoded text
    start: int = 0  # offset of quote in the decoded text
    item: int | None = None  # index into Report.items
    value_max: float | int | None = None  # upper end of a range (5%—6%)
    type: str | None = None  # a target's goal type (goal_types.GOAL_TYPES), None for review counts


@dataclass
class Report:
    text: str  # the decoded document, offsets refer to it
    title: str = ""
    org: str = ""  # the body whose report it is, when the text names it
    review_year: int | None = None
    plan_year: int | None = None
    report_date: str | None = None
    sections: list[Section] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)

    def to_json(self) -> dict:
        """The object `python -m tracker extract --json` prints (see EXTRACT_JSON.md)."""
        return {
            "title": self.title,
            "org": self.org,
            "review_year": self.review_year,
            "plan_year": self.plan_year,
            "report_date": self.report_date,
            "sections": [asdict(s) for s in self.sections],
            "items": [asdict(i) for i in self.items],
            "metrics": [asdict(m) for m in self.metrics],
        }
