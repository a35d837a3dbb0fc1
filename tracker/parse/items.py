"""Pass 3: the items of each block: lead phrases closed by 。 (or bold runs in a .docx), 一是/二是
enumerations, numbered tasks without a lead phrase, 民生实事 appendix entries; with due dates and
owners read from a plan item's text."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

from tracker.model import PLAN, Item
from tracker.numbers import to_number
from tracker.parse.lines import CN, Line, numbering
from tracker.parse.sections import Block

# [..][..]? rather than [..]{1,2}: a pattern opening with a character class lets re skip ahead to
# the next candidate instead of trying every position (issue 15)
_ENUM = re.compile(rf"([{CN}][{CN}]?)(?:是|要|方面)[，,:：]?")
_SENTENCE_STOP = ",，;；:：!！?？"
_SENTENCE_STOP_RE = re.compile(f"[{re.escape(_SENTENCE_STOP)}]")  # one search, not a loop per character
_NOT_LEAD_START = (
    "我们", "我", "这", "那", "今年", "去年", "明年", "各位", "同时", "此外", "其中", "总之", "当前", "目前",
    "但", "而", "并", "因此", "所以", "如果", "只有", "只要", "虽然", "经过", "通过", "过去", "一年来", "这些",
)  # fmt: skip


# a lead of two short clauses is one title: 准确把握政策，找准投资方向。
_TWO_CLAUSES = re.compile(
    r"(?!.*(?:源于|在于|来自|就是|才能|必须))[^，,;；:：!！?？]{4,10}[，,][^，,;；:：!！?？]{4,10}"
)
# not commitments: an explanation (关于经济增长目标。) and a paragraph's closing statement
# (扩大内需是经济增长的根本支撑。); 一是…的 opens an enumeration and is kept
_NOT_A_COMMITMENT = re.compile(rf"关于|(?![{CN}]{{1,2}}是).+?是.+的")


@dataclass
class Items:
    items: list[Item] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)  # offset where each item's text ends


def find_items(text: str, blocks: list[Block], plan_year: int | None, leads: dict[int, int]) -> Items:
    """Items of all blocks; leads maps a paragraph's offset to the end of its opening bold run."""
    out = Items()
    for k, block in enumerate(blocks):
        nxt = blocks[k + 1].heading if k + 1 < len(blocks) else None
        # （一）坚持项目为王 over 1．全力抓好重大项目建设。…: the numbered tasks are the items
        parent = bool(block.heading and not block.paras and nxt and nxt.level > block.heading.level)
        _block_items(text, block, out, plan_year, leads, parent)
    return out


# the characters a lead phrase is written in: Chinese characters and a few marks
_LEAD_CHARS = re.compile("[\u4e00-\u9fff“”‘’、《》（）()·—，,]*")


def _lead_end(text: str, pos: int, end: int, max_len: int = 25, opening: bool = True) -> int | None:
    """Offset of the 。 closing a lead phrase that starts at pos, or None. Only a plan paragraph's
    opening lead may be two short clauses (准确把握政策，找准投资方向。): running on, or in the review, such
    a sentence is prose (理论上清醒，政治上才能坚定。 力量源于团结，奋斗开创未来。)."""
    j = text.find("。", pos, min(end, pos + max_len + 1))
    if j < 0 or j + 1 >= end:  # a lead phrase opens text that goes on
        return None
    s = text[pos:j]
    if (
        not 4 <= len(s) <= max_len
        or _SENTENCE_STOP_RE.search(s)
        and not (opening and _TWO_CLAUSES.fullmatch(s))
    ):
        return None
    if s.startswith(_NOT_LEAD_START):  # (a digit or a * fails _LEAD_CHARS below)
        return None
    if _NOT_A_COMMITMENT.match(s):
        return None
    if not _LEAD_CHARS.fullmatch(s):
        return None
    return j


def _due(text: str, year: int | None) -> str | None:
    """Due date read from an item's text (年内 -> year end, 上半年 -> 06-30, 3月底 -> 03-31)."""
    if not year or ("年" not in text and "月" not in text and "季度" not in text):
        return None  # every rule's characters hold one of these; most items name no date (issue 15)
    best: tuple[int, str] | None = None
    for rx, month, needle, back in _DUE_RULES:
        held = text.find(needle)
        if held < 0:
            continue
        m = rx.search(text, max(0, held - back))
        if not m:
            continue
        mon = month
        if mon is None:
            v = to_number(m.group(1))
            if v is None or not 1 <= v <= 12:
                continue
            mon = int(v)
        y = year + 1 if text[max(0, m.start() - 2) : m.start()] == "明年" else year
        date = f"{y:04d}-{mon:02d}-{calendar.monthrange(y, mon)[1]:02d}"
        if best is None or m.start() < best[0]:
            best = (m.start(), date)
    return best[1] if best else None


# （牵头单位：市发改委；配合单位：市财政局、市统计局）, 责任单位：省教育厅。
_OWNER_RULES = (
    ("owner", re.compile(r"(?:牵头|责任|主办|主责)(?:单位|部门)[:：]\s*([^；;）)\n。]{2,60})")),
    ("co_owner", re.compile(r"(?:配合|协办|参与|协同)(?:单位|部门)[:：]\s*([^；;）)\n。]{2,60})")),
)


def _owners(text: str) -> dict[str, str]:
    """The owners a plan commitment's text names, e.g. {"owner": "市发改委", "co_owner": "市财政局"}."""
    found: dict[str, str] = {}
    if "单位" not in text and "部门" not in text:  # every rule names one; most items neither (issue 15)
        return found
    for field_name, rx in _OWNER_RULES:
        m = rx.search(text)
        if m:
            found[field_name] = m.group(1).strip(" ，,、")
    return found


# (rule, month (None: read from the match), what every match of the rule holds, how far before it a
# match can start). The rule is searched for only in a text that holds those characters, from there
# on (str.find and `in` run far faster than re looking for a class of first characters), and each
# rule opens with literal characters (第一季度|一季度 rather than (?:第)?一季度): re skips ahead
# instead of trying every position of a long item (issue 15). The year's end is two rules, one for
# each thing its words hold; the earliest match of all rules wins, so that changes nothing.
_DUE_RULES = (
    (re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末)"), None, "月", 2),
    (re.compile(r"上半年"), 6, "上半年", 0),
    (re.compile(r"第一季度|一季度"), 3, "季度", 2),
    (re.compile(r"第二季度|二季度"), 6, "季度", 2),
    (re.compile(r"第三季度|三季度"), 9, "季度", 2),
    (re.compile(r"年内|全年|年底|年末|当年"), 12, "年", 1),
    (re.compile(r"第四季度|四季度"), 12, "季度", 2),
)


def _block_items(
    text: str, block: Block, out: Items, plan_year: int | None, leads: dict[int, int], parent: bool
) -> None:
    """Items of one block: paragraph leads, inline leads, 一是 enumerations, tasks, appendix entries."""
    part = block.part
    found = _appendix_entries(text, block) if block.appendix else _lead_items(text, block, leads)
    explains = block.heading is not None and block.heading.title.startswith("关于")  # （一）关于物价总水平
    if (
        not block.appendix
        and not found
        and block.heading is not None
        and part == PLAN
        and not parent
        and not explains
    ):
        h = block.heading
        found.append((h.start, h.start + len(h.title), "task"))
    found.sort()
    if not found:
        return
    block_end = max([p.end for p in block.paras] + [found[-1][1]])
    for n, (s, e, kind) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else block_end
        body = text[s:end].strip()
        title = text[s:e].strip()
        item = Item(
            part=part,
            section=block.section,
            title=title,
            text=body,
            start=text.index(title, s) if title else s,  # past any blank the title was stripped of
            due=_due(body, plan_year) if part == PLAN else None,
            kind=kind,
            **(_owners(body) if part == PLAN else {}),
        )
        out.items.append(item)
        out.ends.append(end)


def _appendix_entries(text: str, block: Block) -> list[tuple[int, int, str]]:
    """(title start, title end, kind) of the numbered entries of a 民生实事 appendix."""
    found = []
    for p in block.paras:
        head = numbering(p.text)
        if head:
            s = p.start + head[2]
            cut = text.find("。", s, p.end)
            e = cut if cut >= 0 else p.end
            if e - s <= 80:
                found.append((s, e, "appendix"))
    return found


def _lead_items(text: str, block: Block, leads: dict[int, int]) -> list[tuple[int, int, str]]:
    """(title start, title end, kind) of the lead phrases and enumerations of a block's paragraphs."""
    found: list[tuple[int, int, str]] = []
    lead_paras = []
    for p in block.paras:
        s = p.start
        while s < p.end and text[s] in "—-－ ":
            s += 1
        bold = leads.get(p.start)
        if bold is not None and bold < p.end:  # a bold run opens the paragraph: the lead phrase
            j = bold
            while j > s and text[j - 1] in "。，,：:；; ":
                j -= 1
            if j - s >= 2:
                lead_paras.append((p, s, j))
                continue
        j = _lead_end(text, s, p.end, opening=block.part == PLAN)
        if j is not None:
            lead_paras.append((p, s, j))
            continue
        _enum_items(text, p, found)
    for _p, s, j in lead_paras:
        em = _ENUM.match(text, s, j)
        if em and em.end() < j:  # 一要转变作风提高执行力。: the marker is not part of the title
            found.append((em.end(), j, "enum"))
        else:
            found.append((s, j, "lead"))
    if len(lead_paras) == 1:
        _inline_leads(text, *lead_paras[0], found)
    return found


def _inline_leads(text: str, p: Line, s: int, j: int, found: list[tuple[int, int, str]]) -> None:
    """In a paragraph with one lead phrase, more lead phrases of about its length running on."""
    first_len = j - s
    pos = j + 1
    while pos < p.end:
        nxt = text.find("。", pos, p.end)
        if nxt < 0:
            break
        k = _lead_end(text, pos, p.end, max_len=20, opening=False)
        if k is not None and abs((k - pos) - first_len) <= 5:
            found.append((pos, k, "lead"))
        pos = nxt + 1


def _enum_items(text: str, p: Line, found: list[tuple[int, int, str]]) -> None:
    """一是……二是…… (or 一要……) enumerations opening a paragraph or running through it."""
    first = _ENUM.match(text, p.start)
    marks = []
    expect = 1
    # a run of marks opens with 一是, 一要 or 一方面 (no other numeral reads 1): a paragraph without
    # them is not searched through (issue 15; tests/test_parse.py compares)
    opens = "一是" in p.text or "一要" in p.text or "一方面" in p.text
    for m in _ENUM.finditer(text, p.start, p.end) if opens else ():
        if to_number(m.group(1)) == expect and (
            m.start() == p.start or text[m.start() - 1] in "，,；;。:：、 "
        ):
            marks.append(m)
            expect += 1
    if not first and len(marks) < 2:
        return
    if first and (not marks or marks[0].start() != p.start):
        marks = [first]
    for n, m in enumerate(marks):
        s = m.end()
        stop = marks[n + 1].start() if n + 1 < len(marks) else p.end
        e = s
        while e < stop and text[e] not in "。；;":
            e += 1
        # the title is the first clause (一是坚持立法先行，全年……): what is done, not the detail
        comma = min((k for k in (text.find("，", s, e), text.find(",", s, e)) if k >= 0), default=-1)
        if comma - s >= 4:
            e = comma
        if e > s:
            found.append((s, e, "enum"))
