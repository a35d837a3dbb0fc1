"""Plain data passed between the extractor and the rest of the library."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

REVIEW = "review"
PLAN = "plan"


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
