"""Pass 1: which lines belong to the review, to the plan and to the plan's livelihood appendix;
then the years and date the report speaks of.

A report reads: a header (title, body, date, 各位代表), the review of the past year (or term), the
plan for the year ahead (perhaps a term's plan then this year's), then appendices and, in pages
copied from the web, boilerplate. Glossaries, tables and lists of names hold no commitments and
are skipped; a 民生实事 appendix lists commitments and is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.errors import NotAWorkReport
from tracker.model import PLAN, REVIEW
from tracker.numbers import fold
from tracker.parse.genres import BY_KEY
from tracker.parse.lines import YEAR, Line, numbering, part_heading

_DATE = re.compile(r"((?:19|20)\d{2})\s*[年.．/-]\s*(\d{1,2})\s*[月.．/-]\s*(\d{1,2})(?!\d)")
_BOILERPLATE = re.compile(
    r"^[（(]?\s*(?:版权声明|免责声明|版权所有|来源\s*[:：]|本文来源|文章来源|责任编辑|编辑\s*[:：]|原标题|"
    r"Copyright|©|相关阅读|相关推荐|相关文章|上一篇|下一篇|扫一扫|分享到|打印本页|关闭窗口)",
    re.IGNORECASE,
)
_APPENDIX_MARK = re.compile(r"^附\s*(?:件|录|表)?\s*\d*\s*[:：]?\s*(.*)$")
_GLOSSARY = re.compile(r"名词解释|词语解释|名词注释|注释|释义|术语")
_LIVELIHOOD = re.compile(r"民生实事|惠民实事|为民办实事|民生项目|民生工程")
_ADDRESS_START = re.compile(r"^各位(?:代表|委员|常委)")


@dataclass
class Segment:
    """Lines under one heading of a part: the part itself, a plan's sub-part, or the appendix."""

    part: str
    appendix: bool = False
    rows: list[int] = field(default_factory=list)  # indices of its body lines


@dataclass
class Parts:
    segments: list[Segment]
    regions: dict[str, list[tuple[int, int]]]  # (start, end) spans of each part, in text offsets
    header_end: int  # offset where the header ends (the first part heading or 各位代表)
    review_year: int | None  # as the headings say
    plan_year: int | None


@dataclass
class Years:
    review_year: int | None
    plan_year: int | None
    report_date: str | None


class _PartWalker:
    """The walk through a report's lines; state is pre, review, plan, appendix or glossary."""

    def __init__(self, text: str, lines: list[Line]) -> None:
        self.lines = lines
        self.state = "pre"
        self.header_end = len(text)
        self.review_year: int | None = None
        self.plan_year: int | None = None
        self.regions: dict[str, list[tuple[int, int]]] = {REVIEW: [], PLAN: []}
        self.segments: list[Segment] = []
        self.pending_appendix = False

    def walk(self) -> Parts:
        for idx, line in enumerate(self.lines):
            t = line.text
            if self.state in ("plan", "appendix", "glossary") and _BOILERPLATE.match(t):
                break
            if self.state == "plan" and self._plan_subpart(t):
                continue
            if self.state in ("pre", "review"):
                if self._part_heading(line):
                    continue
                if self.state == "pre":
                    if _ADDRESS_START.match(t):
                        self.header_end = min(self.header_end, line.start)
                    continue
            tail = self.state in ("plan", "appendix", "glossary")  # the plan's tail
            if tail and (self._appendix_switch(line) or self.state == "glossary"):
                continue
            part = REVIEW if self.state == "review" else PLAN
            s0, _ = self.regions[part][-1]
            self.regions[part][-1] = (s0, line.end)
            self.segments[-1].rows.append(idx)
        if not self.regions[PLAN]:
            raise NotAWorkReport(BY_KEY["summary"].refusal)
        return Parts(self.segments, self.regions, self.header_end, self.review_year, self.plan_year)

    def _plan_subpart(self, t: str) -> bool:
        """A term report plans the next five years, then this year (三、2008年工作安排): a second
        plan heading opens a sub-part, it is not a section of the plan."""
        ph = part_heading(t)
        if not (ph and ph[0] == PLAN and (numbering(t) or len(t) <= 16)):
            return False
        if ph[1] and (self.review_year is None or ph[1] > self.review_year):
            self.plan_year = self.plan_year or ph[1]
        self.segments.append(Segment(PLAN))
        return True

    def _part_heading(self, line: Line) -> bool:
        ph = part_heading(line.text)
        if ph and ph[0] == PLAN and self.review_year and ph[1] and ph[1] <= self.review_year:
            ph = None  # a heading naming the reviewed year inside the review
        later = ph and ph[1] and self.review_year and ph[1] > self.review_year
        if ph and ph[0] == REVIEW and self.state == "review" and later:
            ph = (PLAN, ph[1])  # 三、2024年的主要工作 after 一、2023年工作回顾: the year ahead
        if not (ph and (ph[0] == REVIEW and self.state == "pre" or ph[0] == PLAN)):
            return False
        self.header_end = min(self.header_end, line.start)
        self.state = ph[0]
        if ph[0] == REVIEW:
            self.review_year = ph[1]
        else:
            self.plan_year = ph[1]
        self.segments.append(Segment(ph[0]))
        self.regions[ph[0]].append((line.end, line.end))
        return True

    def _appendix_switch(self, line: Line) -> bool:
        """Appendix and glossary headings (附件：…民生实事, 名词解释) switch the state."""
        t = line.text
        am = _APPENDIX_MARK.match(t) if len(t) <= 40 and "。" not in t else None
        short = len(t) <= 32 and "。" not in t and not numbering(t)
        if not (am or self.pending_appendix or (short and (_GLOSSARY.fullmatch(t) or _LIVELIHOOD.search(t)))):
            return False
        title = am.group(1).strip() if am else t
        if not title:
            self.pending_appendix = True
            self.state = "glossary"  # until the appendix names itself
            return True
        self.pending_appendix = False
        if _GLOSSARY.search(title):
            self.state = "glossary"
        elif _LIVELIHOOD.search(title):
            self.state = "appendix"
            self.segments.append(Segment(PLAN, appendix=True))
            self.regions[PLAN].append((line.end, line.end))
        else:
            self.state = "glossary"  # other appendices (tables, lists of names) hold no commitments
        return True


def find_parts(text: str, lines: list[Line]) -> Parts:
    """The parts of a report; NotAWorkReport when it has no plan."""
    return _PartWalker(text, lines).walk()


def find_years(text: str, parts: Parts) -> Years:
    """The reviewed and planned years and the report's date, from the headings, header and text."""
    header = text[: min(parts.header_end, 600)]
    report_date = None
    dm = _DATE.search(fold(header))
    if dm:
        y, mo, d = (int(g) for g in dm.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            report_date = f"{y:04d}-{mo:02d}-{d:02d}"
    date_year = int(report_date[:4]) if report_date else None
    review_year, plan_year = parts.review_year, parts.plan_year
    if plan_year is None:
        plan_year = review_year + 1 if review_year else date_year
    if review_year is None and plan_year:
        review_year = plan_year - 1  # 过去一年 / 过去五年: the year before the plan's
    if review_year is None and parts.regions[REVIEW]:
        first = parts.regions[REVIEW][0]
        ym = YEAR.search(text, first[0], min(first[1], first[0] + 200))
        review_year = int(ym.group(1)) if ym else None
    if review_year is None and plan_year:
        review_year = plan_year - 1
    if plan_year is None and review_year:
        plan_year = review_year + 1
    return Years(review_year, plan_year, report_date)
