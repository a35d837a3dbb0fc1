"""Decoded text of a work report -> Report: parts and years, sections, lead-phrase items, metrics.

Pure functions, no I/O. The rules are about the genre's forms (part headings, numbering styles,
lead phrases closed by 。, 一是/二是 enumerations, appendices, trailing boilerplate), never about
particular documents. Offsets in the result refer to the text passed in.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass

from tracker.errors import NotAWorkReport
from tracker.model import PLAN, REVIEW, Item, Metric, Report, Section
from tracker.numbers import Quantity, find_quantities, fold, to_number

_CN = "一二三四五六七八九十"
# numbering styles of headings, each a level; the order they first appear in a part sets the level
_NUMBERING = (
    ("cn", re.compile(rf"^([{_CN}]{{1,3}})\s*[、.．]\s*")),
    ("paren", re.compile(rf"^[（(]\s*([{_CN}]{{1,3}})\s*[）)]\s*[、.．]?\s*")),
    ("di", re.compile(rf"^第([{_CN}]{{1,3}})(?:部分)?\s*[、.．，,:：]\s*")),
    ("arabic", re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*")),
    ("paren_arabic", re.compile(r"^[（(]\s*(\d{1,2})\s*[）)]\s*")),
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_REVIEW_WORDS = re.compile(r"工作回顾|工作总结|回顾$|主要工作$|工作情况$|履职情况$|工作成绩$|主要成绩$|工作$")
_REVIEW_TIME = re.compile(r"(?:19|20)\d{2}\s*年|过去|去年|上年|一年来|五年来|本届|近年来|以来")
_PLAN_WORDS = re.compile(
    r"工作安排|工作任务|目标任务|重点工作|工作建议|工作部署|工作打算|工作思路|主要任务|总体部署"
    r"|主要目标|重点任务|工作重点|发展目标|工作要求|工作设想|预期目标|总体要求|奋斗目标|以下工作"
)
_PLAN_TIME = re.compile(r"(?:19|20)\d{2}\s*年|今年|明年|新的一年|新一年|下一阶段|下一步|今后|未来|下阶段")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年.．/-]\s*(\d{1,2})\s*[月.．/-]\s*(\d{1,2})(?!\d)")
_BOILERPLATE = re.compile(
    r"^[（(]?\s*(?:版权声明|免责声明|版权所有|来源\s*[:：]|本文来源|文章来源|责任编辑|编辑\s*[:：]|原标题|"
    r"Copyright|©|相关阅读|相关推荐|相关文章|上一篇|下一篇|扫一扫|分享到|打印本页|关闭窗口)",
    re.IGNORECASE,
)
_APPENDIX_MARK = re.compile(r"^附\s*(?:件|录|表)?\s*\d*\s*[:：]?\s*(.*)$")
_GLOSSARY = re.compile(r"名词解释|词语解释|名词注释|注释|释义|术语")
_LIVELIHOOD = re.compile(r"民生实事|惠民实事|为民办实事|民生项目|民生工程")
_ENUM = re.compile(rf"([{_CN}]{{1,2}})(?:是|要|方面)[，,:：]?")
_SENTENCE_STOP = ",，;；:：!！?？"
_NOT_LEAD_START = (
    "我们", "我", "这", "那", "今年", "去年", "明年", "各位", "同时", "此外", "其中", "总之", "当前", "目前",
    "但", "而", "并", "因此", "所以", "如果", "只有", "只要", "虽然", "经过", "通过", "过去", "一年来", "这些",
)  # fmt: skip
_CLAUSE_STOP = set("，;；。!！?？:：\n")
_ACT_STOP = set("，,;；。!！?？:：、（(\n")
_ACT_VERBS = (
    "召开", "开展", "组织", "举办", "举行", "进行", "参加", "收到", "提出", "完成", "建设", "建成", "建立",
    "新建", "新增", "推荐", "选派", "报送", "撰写", "接待", "办理", "发放", "实施", "引进", "培育", "开通",
    "改造", "提交", "出台", "制定", "印发", "编发", "征集", "达到", "实现", "增长", "减少", "下降", "提高",
)  # fmt: skip
# verbs of change say how their subject moves (治理率提高到75%): the subject is what is measured
_CHANGE_VERBS = ("达到", "实现", "增长", "减少", "下降", "提高", "降低", "增加", "提升", "压减", "突破")
_ACT_NOT_START = ("的", "是", "为", "和", "与", "及", "等", "以", "于", "在", "就", "也", "都", "将", "并")


@dataclass
class _Line:
    start: int  # offset of the first non-blank character
    end: int  # offset after the last non-blank character
    text: str


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw) + 1
    return out


def _numbering(text: str) -> tuple[str, int, int] | None:
    """(style, number, length of the numbering) of a heading-like line start, or None."""
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


# a sentence standing alone that announces the plan: 2024年，常委会将重点做好以下工作：
_PLAN_SENTENCE = re.compile(
    r"^(?:((?:19|20)\d{2})\s*年|今年|新的一年)[，,]?[^。；;，,]{0,12}?(?:做好|抓好|开展|推进|突出抓好)"
    r"以下(?:几项|几个方面的?|[一二三四五六七八九十]+(?:个方面的?|项))?(?:重点|主要)?工作$"
)


def part_heading(line: str) -> tuple[str, int | None] | None:
    """("review"|"plan", year or None) when a line is the heading of a report's part."""
    line = fold(line)  # ２０２４年 typed with full-width digits
    num = _numbering(line)
    if num and num[0] not in ("cn", "di"):
        return None  # parts are numbered 一、 or 第一部分 (or not at all), never （一） or 1.
    body = line[num[2] :] if num else line
    body = body.strip().rstrip("。.:：")
    m = _PLAN_SENTENCE.match(body)
    if m and not num:  # 2024年，常委会将重点做好以下工作： opens the plan without a heading
        return PLAN, int(m.group(1)) if m.group(1) else None
    if not 4 <= len(body) <= 32 or any(c in body for c in "。，,；;!！?？"):
        return None
    years = _YEAR.findall(body)
    year = int(years[0]) if years else None
    if _PLAN_WORDS.search(body) and _PLAN_TIME.search(body) and "了" not in body:  # 做了以下工作: review
        return PLAN, year
    if re.search(r"(?:今年|明年|新的一年|新一年|今后[^的]{0,6}|下一步)的?(?:主要)?(?:工作|建议|打算)$", body):
        return PLAN, year  # 二、今年的工作 / 今后一个时期的工作 / 对今年工作的建议
    if re.search(r"工作回顾|工作总结", body) or (_REVIEW_WORDS.search(body) and _REVIEW_TIME.search(body)):
        return REVIEW, year
    return None


def _heading(line: _Line, in_appendix: bool) -> tuple[str, int, str, int] | None:
    """(style, number, title, offset of title) when a line is a numbered heading."""
    num = _numbering(line.text)
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


def _lead_end(text: str, pos: int, end: int, max_len: int = 25) -> int | None:
    """Offset of the 。 closing a lead phrase that starts at pos, or None."""
    j = text.find("。", pos, min(end, pos + max_len + 1))
    if j < 0 or j + 1 >= end:  # a lead phrase opens text that goes on
        return None
    s = text[pos:j]
    if not 4 <= len(s) <= max_len or any(c in _SENTENCE_STOP for c in s):
        return None
    if s.startswith(_NOT_LEAD_START) or any(c.isdigit() or c == "*" for c in s):
        return None
    if not all("\u4e00" <= c <= "\u9fff" or c in "“”‘’、《》（）()·—" for c in s):
        return None
    return j


def _due(text: str, year: int | None) -> str | None:
    """Due date read from an item's text (年内 -> year end, 上半年 -> 06-30, 3月底 -> 03-31)."""
    if not year:
        return None
    best: tuple[int, str] | None = None
    for rx, month in _DUE_RULES:
        m = rx.search(text)
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
    found = {}
    for field_name, rx in _OWNER_RULES:
        m = rx.search(text)
        if m:
            found[field_name] = m.group(1).strip(" ，,、")
    return found


_DUE_RULES = (
    (re.compile(r"(\d{1,2}|[一二三四五六七八九十]{1,2})月(?:底|末)"), None),
    (re.compile(r"上半年"), 6),
    (re.compile(r"(?:第)?一季度"), 3),
    (re.compile(r"(?:第)?二季度"), 6),
    (re.compile(r"(?:第)?三季度"), 9),
    (re.compile(r"年内|全年|年底|年末|(?:第)?四季度|当年"), 12),
)


def _clause(text: str, i: int, j: int) -> tuple[int, int]:
    """Bounds of the clause around text[i:j] (between Chinese clause punctuation)."""
    s = i
    while s > 0 and not _is_stop(text, s - 1):
        s -= 1
    e = j
    while e < len(text) and not _is_stop(text, e):
        e += 1
    if i - s > 40:
        s = i - 40
    if e - j > 30:
        e = j + 30
    return s, e


def _is_stop(text: str, k: int) -> bool:
    c = text[k]
    if c == ",":  # a thousands separator is not a comma
        return not (0 < k < len(text) - 1 and text[k - 1].isdigit() and text[k + 1].isdigit())
    return c in _CLAUSE_STOP


_SUBJECT_TAIL = re.compile(f"(?:{'|'.join(_CHANGE_VERBS)}|超过|超|达|约|近|分别|比上年|较上年)+$")


def _subject(clause: str) -> str:
    """What a clause with a figure measures: its text before the first figure, verbs dropped
    (进出口总额突破9万亿元 -> 进出口总额)."""
    return _SUBJECT_TAIL.sub("", re.split(r"[0-9]", clause, maxsplit=1)[0])


def _activity(text: str, q: Quantity, clause_start: int) -> str:
    """The noun phrase the number counts: what follows the unit, else the clause before it."""
    k = q.end
    while k < len(text) and text[k] not in _ACT_STOP and k - q.end < 20:
        k += 1
    after = text[q.end : k].strip()
    if len(after) >= 2 and "\u4e00" <= after[0] <= "\u9fff" and not after.startswith(_ACT_NOT_START):
        return after
    before = text[clause_start : q.start]
    if not re.sub(r"(?:约|近|超过|超|共计|共|累计|达到|达|为)+$", "", before) and clause_start > 1:
        # 增长20%，达到282亿元: the subject is in the clause before
        ps, _ = _clause(text, clause_start - 2, clause_start - 1)
        head = re.split(r"[\d*]", text[ps : clause_start - 1], maxsplit=1)[0]
        before = re.sub(r"(?:增长|增加|提高|下降|减少)$", "", head) + before
    before = re.sub(
        r"(?:约|近|超过|超|共计|共|累计|达到|达|为|不低于|不少于|不超过|控制在|分别)+$", "", before
    )
    if "、" in before and re.search(r"[0-9]", before):  # an earlier figure: 产量增长31.2%、占全国44%
        before = _subject(before) + before.rsplit("、", 1)[-1]
    best, verb = -1, ""
    for v in _ACT_VERBS:
        p = before.rfind(v)
        if p > best and p + len(v) < len(before):
            best, verb = p, v
    if best > 2 and verb not in _CHANGE_VERBS:  # 城镇新增就业: a subject of one word stays with its verb
        before = before[best:]
    elif not re.sub(f"(?:{'|'.join(_CHANGE_VERBS)})[到至]?$", "", before):
        # the clause is only the verb (提高到75%): its subject ends the text before it
        head = re.split(r"[，,；;。]", text[max(0, clause_start - 30) : clause_start].rstrip("，,；;。、"))[
            -1
        ]
        before = _subject(head) + before
    before = re.sub(r"([增降提下减]\w)[到至]$", r"\1", before)
    before = re.sub(
        r"^(?:全年|年内|今年|去年|次年|当年|先后|共|累计|其中|全市|全省|全区|全县|确保|力争|努力)+",
        "",
        before,
    )
    if len(before) > 24:
        tail = before[before.rfind("等") + 1 :]
        before = tail if 2 <= len(tail) <= 24 else before[-24:]
    return before.strip(' “”"')


def _org_and_title(header: str) -> tuple[str, str]:
    compact = re.sub(r"[\s\u3000]+", "", header)
    org = ""
    m = re.search(r"([^\n—]{0,20}?(?:人民政府|国务院|常务委员会|委员会))", header)
    if m:
        org = m.group(1).strip(" —-")
    if "政治协商会议" in compact or "政协" in compact:
        title = "政协常务委员会工作报告" if "常务委员会" in compact or "常委会" in compact else "政协工作报告"
    elif re.search(r"人民代表大会常务委员会|人大常委会", compact):
        title = "人民代表大会常务委员会工作报告"
    elif "政府工作报告" in compact:
        title = "政府工作报告"
    else:
        found = re.search(r"[^\n]{0,30}工作报告", header)
        title = found.group(0).strip() if found else ""
    return title, org


_ADDRESS = re.compile(r"各位(?:代表|委员|常委|同志)")
_YEARBOOK_HEAD = re.compile(r"^【[^】]{1,12}】")
_NEWS_BYLINE = re.compile(r"本报讯|本报记者|[（(]?记者\s*\S{1,4}|新华社|通讯员|[0-9０-９]日电|央视网消息")
_NEWS_THIRD_PERSON = re.compile(r"(?:工作)?报告(?:指出|提出|显示|明确|强调|称|要求|说|透露)")
_SPEECH_TITLE = re.compile(r"讲话(?:稿)?$|致辞$|^同志们")


def _refuse_other_genres(text: str, lines: list[_Line]) -> None:
    """Documents that speak about a report or in another genre: news, yearbook entries, speeches."""
    if sum(1 for line in lines[:80] if _YEARBOOK_HEAD.match(line.text)) >= 3:
        raise NotAWorkReport("看起来是年鉴条目（【概况】式的分条记述），不像一份工作报告")
    head = [line.text for line in lines[:6]]
    addressed = bool(_ADDRESS.search(text, 0, min(len(text), 3000)))
    third_person = len(_NEWS_THIRD_PERSON.findall(text))
    if not addressed and (third_person >= 2 or _NEWS_BYLINE.search("\n".join(head[:4]))):
        raise NotAWorkReport("看起来是关于报告的新闻报道（转述“报告指出/提出”），不像一份工作报告")
    if (
        not addressed
        and not any("工作报告" in t for t in head[:3])
        and any(_SPEECH_TITLE.search(t) for t in head)
    ):
        raise NotAWorkReport("看起来是讲话稿（致“同志们”，没有工作安排部分），不像一份工作报告")


@dataclass
class _Block:
    part: str
    section: int  # level-1 section number, 0 when none
    heading: Section | None
    paras: list[_Line]
    appendix: bool = False


def parse_report(text: str, layout: dict | None = None) -> Report:
    """Extract the parts, sections, items and metrics of a work report from its decoded text.

    layout (from a .docx): {"headings": {offset: level}, "leads": {offset: end}}, the heading
    styles and the bold runs opening paragraphs; offsets are where a line's text starts.
    """
    layout = layout or {}
    styled = layout.get("headings", {})
    lines = _lines(text)
    _refuse_other_genres(text, lines)
    report = Report(text=text)
    # --- parts, appendix and end, by line -------------------------------------------------------
    state = "pre"
    header_end = len(text)
    review_year = plan_year = None
    regions: dict[str, list[tuple[int, int]]] = {REVIEW: [], PLAN: []}
    blocks: list[_Block] = []
    styles: list[str] = []
    counts: dict[str, int] = {}  # sections seen per styled (unnumbered) heading level
    level1 = 0
    pending_appendix = False
    for idx, line in enumerate(lines):
        t = line.text
        if state in ("plan", "appendix", "glossary") and _BOILERPLATE.match(t):
            break
        if state == "plan":
            ph = part_heading(t)
            if ph and ph[0] == PLAN and (_numbering(t) or len(t) <= 16):
                # a term report plans the next five years, then this year (三、2008年工作安排):
                # a second plan heading opens a sub-part, it is not a section of the plan
                if ph[1] and (review_year is None or ph[1] > review_year):
                    plan_year = plan_year or ph[1]
                styles, level1, counts = [], 0, {}
                blocks.append(_Block(PLAN, 0, None, []))
                continue
        if state in ("pre", "review"):
            ph = part_heading(t)
            if ph and ph[0] == PLAN and review_year and ph[1] and ph[1] <= review_year:
                ph = None  # a heading naming the reviewed year inside the review
            if ph and ph[0] == REVIEW and state == "review" and review_year and ph[1] and ph[1] > review_year:
                ph = (PLAN, ph[1])  # 三、2024年的主要工作 after 一、2023年工作回顾: the year ahead
            if ph and (ph[0] == REVIEW and state == "pre" or ph[0] == PLAN):
                header_end = min(header_end, line.start)
                state = "review" if ph[0] == REVIEW else "plan"
                if ph[0] == REVIEW:
                    review_year = ph[1]
                else:
                    plan_year = ph[1]
                styles, level1, counts = [], 0, {}
                blocks.append(_Block(state, 0, None, []))
                regions[state].append((line.end, line.end))
                continue
            if state == "pre":
                if re.match(r"^各位(?:代表|委员|常委)", t):
                    header_end = min(header_end, line.start)
                continue
        # in a part: appendix and glossary switches (the plan's tail)
        if state in ("plan", "appendix", "glossary"):
            am = _APPENDIX_MARK.match(t) if len(t) <= 40 and "。" not in t else None
            short = len(t) <= 32 and "。" not in t and not _numbering(t)
            if am or pending_appendix or (short and (_GLOSSARY.fullmatch(t) or _LIVELIHOOD.search(t))):
                title = am.group(1).strip() if am else t
                if not title:
                    pending_appendix = True
                    state = "glossary"  # until the appendix names itself
                    continue
                pending_appendix = False
                if _GLOSSARY.search(title):
                    state = "glossary"
                elif _LIVELIHOOD.search(title):
                    state = "appendix"
                    blocks.append(_Block(PLAN, 0, None, [], appendix=True))
                    regions[PLAN].append((line.end, line.end))
                else:
                    state = "glossary"  # other appendices (tables, lists of names) hold no commitments
                continue
            if state == "glossary":
                continue
        part = REVIEW if state == "review" else PLAN
        # widen the current region to cover this line
        s0, _ = regions[part][-1]
        regions[part][-1] = (s0, line.end)
        head = _heading(line, state == "appendix")
        if head is None and line.start in styled and state != "appendix" and len(t) <= 60:
            head = _styled_heading(line, styled[line.start], styles, counts)
        if head and state != "appendix":
            style, n, title, tstart = head
            if style not in styles:
                styles.append(style)
            level = styles.index(style) + 1
            if level == 1:
                level1 = n
            sec = Section(part, n, title, level=level, start=tstart)
            report.sections.append(sec)
            blocks.append(_Block(part, level1, sec, []))
            rest = tstart + len(title)
            body = text[rest : line.end].lstrip("。")
            if body.strip():
                bstart = line.end - len(body)
                blocks[-1].paras.append(_Line(bstart, line.end, text[bstart : line.end]))
            continue
        if state == "appendix" and head:
            style, n, title, tstart = head
            nxt = _numbering(lines[idx + 1].text) if idx + 1 < len(lines) else None
            if "。" not in t and len(title) <= 20 and nxt and nxt[0] != style:
                # 一、教育民生实事 over 1.新建公办幼儿园20所: a category of entries, not an entry
                report.sections.append(Section(PLAN, n, title, level=1, start=tstart))
                continue
            blocks.append(_Block(PLAN, 0, None, [line], appendix=True))
            continue
        if blocks:
            blocks[-1].paras.append(line)
    if not regions[PLAN]:
        raise NotAWorkReport("未找到工作安排部分（如“2023年工作安排”“今年工作任务”），不像一份工作报告")

    # --- years and date -------------------------------------------------------------------------
    header = text[: min(header_end, 600)]
    dm = _DATE.search(fold(header))
    if dm:
        y, mo, d = (int(g) for g in dm.groups())
        if 1 <= mo <= 12 and 1 <= d <= 31:
            report.report_date = f"{y:04d}-{mo:02d}-{d:02d}"
    date_year = int(report.report_date[:4]) if report.report_date else None
    if plan_year is None:
        plan_year = review_year + 1 if review_year else date_year
    if review_year is None and plan_year:
        review_year = plan_year - 1  # 过去一年 / 过去五年: the year before the plan's
    if review_year is None and regions[REVIEW]:
        first = regions[REVIEW][0]
        ym = _YEAR.search(text, first[0], min(first[1], first[0] + 200))
        review_year = int(ym.group(1)) if ym else None
    if review_year is None and plan_year:
        review_year = plan_year - 1
    if plan_year is None and review_year:
        plan_year = review_year + 1
    report.review_year, report.plan_year = review_year, plan_year
    report.title, report.org = _org_and_title(text[:header_end] if header_end < len(text) else text[:300])

    # --- items ------------------------------------------------------------------------------------
    ends: list[int] = []
    leads = layout.get("leads", {})
    for k, block in enumerate(blocks):
        nxt = blocks[k + 1].heading if k + 1 < len(blocks) else None
        # （一）坚持项目为王 over 1．全力抓好重大项目建设。…: the numbered tasks are the items
        parent = bool(block.heading and not block.paras and nxt and nxt.level > block.heading.level)
        _block_items(text, block, report, ends, plan_year, leads, parent)
    if not any(i.part == PLAN for i in report.items) and not any(s.part == PLAN for s in report.sections):
        raise NotAWorkReport("工作安排部分没有可识别的任务条目，不像一份工作报告")

    # --- metrics ----------------------------------------------------------------------------------
    folded = fold(text)
    spans = sorted((it.start, end, idx) for idx, (it, end) in enumerate(zip(report.items, ends, strict=True)))
    starts = [s[0] for s in spans]
    for part, rs in regions.items():
        for lo, hi in rs:
            prev: tuple[Quantity, str] | None = None
            for q in find_quantities(text, lo, hi, folded=folded):
                cs, ce = _clause(text, q.start, q.end)
                if _not_a_count(folded, q, cs):
                    continue
                if prev and text[prev[0].end : q.start] in ("、", "和", "及", "与", "或"):
                    activity = prev[1]  # 分别增长9.9%、10.5%: a list shares its subject
                else:
                    activity = _activity(text, q, cs)
                prev = (q, activity)
                k = bisect.bisect_right(starts, q.start) - 1
                item = None
                if k >= 0 and spans[k][1] >= q.end and report.items[spans[k][2]].part == part:
                    item = spans[k][2]
                report.metrics.append(
                    Metric(
                        part=part,
                        kind="count" if part == REVIEW else "target",
                        value=q.value,
                        unit=q.unit,
                        approx=q.approx,
                        bound=q.bound,
                        redacted=q.redacted,
                        activity=activity,
                        quote=text[cs:ce],
                        start=cs,
                        item=item,
                        value_max=q.value_max,
                    )
                )
    return report


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


def _not_a_count(folded: str, q: Quantity, clause_start: int) -> bool:
    """Shares of the nation, old standards, restated plans and size classes (see above)."""
    before = folded[clause_start : q.start]
    tail = re.split(r"[、\d%]", before)[-1]  # 增长31.2%、占全国44%: only this figure's own words
    if q.unit in ("%", "‰") and _SHARE_OF_WHOLE.search(tail):
        return True
    k = max(before.rfind("从"), before.rfind("由"))
    if k >= 0 and not re.search(r"[到至]", before[k:]) and _CHANGE_TO.match(folded, q.end):
        return True
    if _RESTATED.search(tail):
        return True
    if q.bound == "min" and q.unit.endswith(_SIZE_UNITS) and folded[q.end - 2 : q.end] == "以上":
        nxt = folded[q.end : q.end + 1]
        if nxt and "\u4e00" <= nxt <= "\u9fff":
            return True
    return False


def _styled_heading(
    line: _Line, level: int, styles: list[str], counts: dict[str, int]
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


def _block_items(
    text: str,
    block: _Block,
    report: Report,
    ends: list[int],
    plan_year: int | None,
    leads: dict[int, int],
    parent: bool = False,
) -> None:
    """Items of one block: paragraph leads, inline leads, 一是 enumerations, tasks, appendix entries."""
    part = block.part
    found: list[tuple[int, int, str]] = []  # (title start, title end, kind)
    if block.appendix:
        for p in block.paras:
            head = _numbering(p.text)
            if head:
                s = p.start + head[2]
                cut = text.find("。", s, p.end)
                e = cut if cut >= 0 else p.end
                if e - s <= 80:
                    found.append((s, e, "appendix"))
    else:
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
            j = _lead_end(text, s, p.end)
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
            p, s, j = lead_paras[0]
            first_len = j - s
            pos = j + 1
            while pos < p.end:
                nxt = text.find("。", pos, p.end)
                if nxt < 0:
                    break
                k = _lead_end(text, pos, p.end, max_len=20)
                if k is not None and abs((k - pos) - first_len) <= 5:
                    found.append((pos, k, "lead"))
                pos = nxt + 1
        if not found and block.heading is not None and part == PLAN and not parent:
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
        report.items.append(item)
        ends.append(end)


def _enum_items(text: str, p: _Line, found: list[tuple[int, int, str]]) -> None:
    """一是……二是…… (or 一要……) enumerations opening a paragraph or running through it."""
    first = _ENUM.match(text, p.start)
    marks = []
    expect = 1
    for m in _ENUM.finditer(text, p.start, p.end):
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
