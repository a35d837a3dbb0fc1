"""Lines of a report and what their starts say: numbering styles, part headings, section headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.model import PLAN, REVIEW
from tracker.numbers import fold, to_number

CN = "一二三四五六七八九十"
# numbering styles of headings, each a level; the order they first appear in a part sets the level
_NUMBERING = (
    ("cn", re.compile(rf"^([{CN}]{{1,3}})\s*[、.．]\s*")),
    ("paren", re.compile(rf"^[（(]\s*([{CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*")),
    ("di", re.compile(rf"^第([{CN}]{{1,3}})(?:部分)?\s*[、.．，,:：]\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*")),
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
)
_NUMBERING_FIRST = frozenset(CN + "（(第")  # what the styles above can start with, besides \d
YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REVIEW_WORDS = re.compile(r"工作回顾|工作总结|回顾$|主要工作$|工作情况$|履职情况$|工作成绩$|主要成绩$|工作$")
_REVIEW_TIME = re.compile(r"(?:19|20)\d{2}\s*年|过去|去年|上年|一年来|五年来|本届|近年来|以来")
_PLAN_WORDS = re.compile(
    r"工作安排|工作任务|目标任务|重点工作|工作建议|工作部署|工作打算|工作思路|主要任务|总体部署"
    r"|主要目标|重点任务|工作重点|发展目标|工作要求|工作设想|预期目标|总体要求|奋斗目标|以下工作"
)
_PLAN_TIME = re.compile(r"(?:19|20)\d{2}\s*年|今年|明年|新的一年|新一年|下一阶段|下一步|今后|未来|下阶段")
# 二、今年的工作 / 今后一个时期的工作 / 对今年政府工作的建议 (a national report's plan part)
_PLAN_AHEAD = re.compile(
    r"(?:今年|明年|新的一年|新一年|今后[^的]{0,6}|下一步)的?(?:政府|主要)?(?:工作的?)?(?:工作|建议|打算)$"
)
# a sentence standing alone that announces the plan: 2024年，常委会将重点做好以下工作：
_PLAN_SENTENCE = re.compile(
    r"^(?:((?:19|20)\d{2})\s*年|今年|新的一年)[，,]?[^。；;，,]{0,12}?(?:做好|抓好|开展|推进|突出抓好)"
    r"以下(?:几项|几个方面的?|[一二三四五六七八九十]+(?:个方面的?|项))?(?:重点|主要)?工作$"
)


_CLAUSE_PUNCT = re.compile("[。，,；;!！?？]")
_REVIEW_TITLE = re.compile("工作回顾|工作总结")


@dataclass
class Line:
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    text: str


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of text, stripped, with their offsets."""
    out: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def numbering(text: str) -> tuple[str, int, int] | None:
    """(style, number, length of the numbering) of a heading-like line start, or None."""
    first = text[:1]
    if first not in _NUMBERING_FIRST and not first.isdecimal():  # most lines: no style can match
        return None
    for style, rx in _NUMBERING:
        m = rx.match(text)
        if m:
            n = to_number(m.group(1))
            if n is None:
                return None
            if style == "cn" and text[m.end(1) : m.end(1) + 1] in ("是", "要"):
                return None
            return style, int(n), m.end()
    return None


def part_heading(line: str) -> tuple[str, int | None] | None:
    """("review"|"plan", year or None) when a line is the heading of a report's part."""
    if len(line) > 64:  # a paragraph: the longest part heading (a _PLAN_SENTENCE) is about 45 characters
        return None
    line = fold(line)  # ２０２４年 typed with full-width digits
    num = numbering(line)
    if num and num[0] not in ("cn", "di"):
        return None  # parts are numbered 一、 or 第一部分 (or not at all), never （一） or 1.
    body = line[num[2] :] if num else line
    body = body.strip().rstrip("。.:：")
    m = _PLAN_SENTENCE.match(body)
    if m and not num:  # 2024年，常委会将重点做好以下工作： opens the plan without a heading
        return PLAN, int(m.group(1)) if m.group(1) else None
    if not 4 <= len(body) <= 32 or _CLAUSE_PUNCT.search(body):
        return None
    years = [int(y) for y in YEAR.findall(body)]
    year = years[0] if years else None  # a plan's first year: 2013—2017年 plans from 2013
    if _PLAN_WORDS.search(body) and _PLAN_TIME.search(body) and "了" not in body:  # 做了以下工作: review
        return PLAN, year
    if _PLAN_AHEAD.search(body):
        return PLAN, year  # 二、今年的工作 / 今后一个时期的工作 / 对今年工作的建议
    if _REVIEW_TITLE.search(body) or (_REVIEW_WORDS.search(body) and _REVIEW_TIME.search(body)):
        return REVIEW, max(years) if years else None  # 过去五年（2008年—2012年）: the last year reviewed
    return None


def heading(line: Line, in_appendix: bool) -> tuple[str, int, str, int] | None:
    """(style, number, title, offset of title) when a line is a numbered heading."""
    num = numbering(line.text)
    if not num:
        return None
    style, n, skip = num
    rest = line.text[skip:]
    cut = rest.find("。")
    title = rest if cut < 0 else rest[:cut]
    if not title or len(title) > 60 and cut < 0 and not in_appendix:
        return None
    if len(title) > 80:
        return None
    return style, n, title.strip(), line.start + skip


def styled_heading(
    line: Line, level: int, styles: list[str], counts: dict[str, int]
) -> tuple[str, int, str, int]:
    """An unnumbered heading known by its style: numbered by its order under its parent."""
    style = f"h{level}"
    if style not in styles:
        styles.append(style)
    counts[style] = counts.get(style, 0) + 1
    for deeper in styles[styles.index(style) + 1 :]:
        counts[deeper] = 0
    title = line.text.rstrip("。.:：")
    return style, counts[style], title, line.start
