"""Pass 4: the metrics, every figure with a measure word in the review (counts) and the plan
(targets): what it counts, the clause quoted, and the item it belongs to."""

from __future__ import annotations

import bisect
import re

from tracker.goal_types import classify
from tracker.model import REVIEW, Item, Metric
from tracker.numbers import Quantity, find_quantities, fold
from tracker.parse.lines import YEAR
from tracker.parse.metric_filters import (
    compared_with_a_base,
    names_a_project,
    not_a_count,
    not_a_goal,
    same_list,
)

_ACT_STOP = "，,;；。!！?？:：、（(\n"
_AFTER = re.compile(f"[^{re.escape(_ACT_STOP)}]{{0,20}}")
_ACT_VERBS = (
    "召开", "开展", "组织", "举办", "举行", "进行", "参加", "收到", "提出", "完成", "建设", "建成", "建立",
    "新建", "新增", "推荐", "选派", "报送", "撰写", "接待", "办理", "发放", "实施", "引进", "培育", "开通",
    "改造", "提交", "出台", "制定", "印发", "编发", "征集", "达到", "实现", "增长", "减少", "下降", "提高",
)  # fmt: skip
# verbs of change say how their subject moves (治理率提高到75%): the subject is what is measured
_CHANGE_VERBS = ("达到", "实现", "增长", "减少", "下降", "提高", "降低", "增加", "提升", "压减", "突破")
_ACT_NOT_START = ("的", "是", "为", "和", "与", "及", "等", "以", "于", "在", "就", "也", "都", "将", "并")


def find_metrics(
    text: str,
    regions: dict[str, list[tuple[int, int]]],
    items: list[Item],
    ends: list[int],
    review_year: int | None = None,
) -> list[Metric]:
    """The metrics of each part's regions, in text order per region, tied to the item around them.

    review_year tells a comparison with last year (比2023年增长5% in a report reviewing 2023) from one
    with an earlier base year."""
    folded = fold(text)
    spans = sorted((it.start, end, idx) for idx, (it, end) in enumerate(zip(items, ends, strict=True)))
    starts = [s[0] for s in spans]
    out: list[Metric] = []
    for part, rs in regions.items():
        review = part == REVIEW
        kind = "count" if review else "target"
        for lo, hi in rs:
            prev: tuple[Quantity, str] | None = None
            named_end = -1  # end of the last figure dropped as part of a project's name
            for q in find_quantities(text, lo, hi, folded=folded):
                cs, ce = _clause(text, q.start, q.end)
                if not_a_count(folded, q, cs):
                    continue
                listed = named_end >= 0 and same_list(folded, named_end, q.start)
                if listed or names_a_project(folded, q, cs, ce):
                    named_end = q.end  # 投资836万元的建新养老院、550万元呼伦社区文体馆项目
                    continue
                if compared_with_a_base(folded, q, cs, part, review_year) or (
                    not review and not_a_goal(folded, q, cs, ce)
                ):
                    continue
                # the words between this figure and the last: a list shares its subject only across a
                # separator (_SHARES_SUBJECT, at most 5 characters) after the last activity, so a longer
                # gap is not sliced ("" shares nothing either, issue 15)
                near = prev and q.start - prev[0].end <= len(prev[1]) + 5
                between = text[prev[0].end : q.start] if near else ""
                after = _after(text, q)
                own = _after_word(after)
                if prev and between.startswith(prev[1]) and not own:
                    between = between[len(prev[1]) :]  # 新增1个合作区、累计达8个: the total of the same
                # 分别增长9.9%、10.5%: a list shares its subject, unless a figure names its own
                shared = prev and not own and between and _SHARES_SUBJECT.fullmatch(between)
                activity = prev[1] if shared else (own or _activity(text, q, cs, after))
                if prev and out and between == "、" and _verbs_only(out[-1].activity):
                    out[-1].activity = activity  # 完成3800户、58万平方米棚户区改造: named by the last
                prev = (q, activity)
                k = bisect.bisect_right(starts, q.start) - 1
                item = None
                if k >= 0 and spans[k][1] >= q.end and items[spans[k][2]].part == part:
                    item = spans[k][2]
                quote = text[cs:ce]
                goal = None if review else classify(q.unit, q.bound, activity, quote, q.value)
                # positional, in the order of Metric's fields: 13 keywords a figure added up (issue 15)
                out.append(
                    Metric(part, kind, q.value, q.unit, q.approx, q.bound,
                           q.redacted, activity, quote, cs, item, q.value_max, goal)
                )  # fmt: skip
    return out


_VERB_ONLY = re.compile(f"(?:{'|'.join(_ACT_VERBS + _CHANGE_VERBS)}|安排|投资)+")
_VERB_ONLY_WORDS = frozenset(_ACT_VERBS + _CHANGE_VERBS + ("安排", "投资"))


def _verbs_only(text: str) -> bool:
    """_VERB_ONLY.fullmatch(text): the words all have two characters, so a text of them opens with
    one; most texts do not, and re's repeat of the words is not run for them (issue 15)."""
    return text[:2] in _VERB_ONLY_WORDS and bool(_VERB_ONLY.fullmatch(text))


# 分别增长9.9%、10.5%; 新增1个合作区、累计达8个: a list shares its subject
_SHARES_SUBJECT = re.compile(r"[、和及与或](?:累计|共计|总计|合计|共)?(?:达到|达|为)?")


# clause punctuation; a comma between two digits is a thousands separator, not a stop. One character
# class first, the comma's exception after it: re then skips to the next candidate by itself
_STOP = re.compile(r"[;；。!！?？:：\n，,](?<!\d,(?=\d))")
# the last stop before a figure: [\s\S]*_STOP matched, the clear form, backtracks through the clause
# a step at a time (issue 15): the stops are searched for in the clause reversed, and a comma is
# checked by hand (tests/test_parse.py compares the two)
_STOP_CHAR = re.compile(r"[;；。!！?？:：\n，,]")


def _clause(text: str, i: int, j: int) -> tuple[int, int]:
    """Bounds of the clause around text[i:j] (between Chinese clause punctuation), at most 40
    characters before the figure and 30 after it."""
    lo = max(0, i - 40)
    s = lo
    back = text[lo:i][::-1]
    m = _STOP_CHAR.search(back)
    while m:
        p = i - 1 - m.start()
        if text[p] != "," or not (
            p > 0 and p + 1 < i and text[p - 1].isdecimal() and text[p + 1].isdecimal()
        ):
            s = p + 1
            break
        m = _STOP_CHAR.search(back, m.end())
    m = _STOP.search(text, j, j + 31)
    e = m.start() if m else min(len(text), j + 30)
    return s, e


# 人均可支配收入比2016年增加…: the comparison's 比 is not part of the subject (占比 is)
# the class of first characters first: re then rejects most positions by one check (issue 15)
_SUBJECT_TAIL = re.compile(
    f"(?=[{''.join(sorted({w[0] for w in _CHANGE_VERBS}))}完超达约近分比较])"
    f"(?:{'|'.join(_CHANGE_VERBS)}|完成|超过|超|达|约|近|分别|比上年|较上年|(?<![占对])比|较)+$"
)


def _subject(clause: str) -> str:
    """What a clause with a figure measures: its text before the first figure, verbs dropped
    (进出口总额突破9万亿元 -> 进出口总额)."""
    lead = _LEADING_ORDINAL.match(clause)  # 15个主平台新承接项目约700个、总投资…
    clause = clause[lead.end() :] if lead else clause
    return _strip_end(_SUBJECT_TAIL, _SUBJECT_TAIL_LAST, _DIGIT.split(clause, maxsplit=1)[0])


def _after(text: str, q: Quantity) -> str:
    """At most 20 characters after the figure, up to the clause's punctuation."""
    return text[q.end : _AFTER.match(text, q.end).end()].strip()


def _after_word(after: str) -> str:
    """The noun right after a figure's measure word (新建5条主干道路), or "" (also for a verb alone:
    赤字率拟按3.6%以上安排); after is _after(text, q)."""
    word = after.lstrip("“‘「《")  # 举办300场“粤贸全球”境外展: a quoted name is what is counted
    if len(word) >= 2 and "\u4e00" <= word[0] <= "\u9fff" and not word.startswith(_ACT_NOT_START):
        return "" if _verbs_only(word) else after
    return ""


# the words of _activity, compiled once (issue 15: re's cache lookup per call added up)
_AMOUNT_WORDS = re.compile(r"(?:约|近|超过|超|共计|共|累计|达到|达|为)+$")
_BOUND_WORDS = re.compile(
    r"(?:约|近|超过|超|共计|共|累计|达到|达|为|不低于|不少于|不超过|控制在|分别|惠及|覆盖|涉及|拟按|按)+$"
)
_CHANGE_END = re.compile(r"(?:增长|增加|提高|下降|减少)$")
_CHANGE_ONLY = re.compile(
    f"(?=[年平同环比较{''.join(sorted({w[0] for w in _CHANGE_VERBS}))}])"
    f"(?:年均|平均|同比|环比|比上年|较上年)?(?:{'|'.join(_CHANGE_VERBS)})[到至]?$"
)
_CHANGE_TO_END = re.compile(r"([增降提下减]\w)[到至]$")
_OPENING = ("全年", "年内", "今年", "去年", "次年", "当年", "先后", "共", "累计", "其中", "全市", "全省", "全区",
            "全县", "确保", "力争", "努力")  # fmt: skip
_OPENING_WORDS = re.compile(f"(?:{'|'.join(_OPENING)})+")
_OPENING_FIRST = frozenset(w[0] for w in _OPENING)
_DONE_END = re.compile(r"完成(?<=[\u4e00-\u9fff]{2}..)$")  # 完成 first, so re skips to it
# the last characters each of those words can end with: a text ending otherwise is left as it is
# without asking re, which tries the words at every position before finding none (issue 15)
_SUBJECT_TAIL_LAST = "".join({w[-1] for w in _CHANGE_VERBS}) + "成过超达约近别年比较"
_AMOUNT_LAST = "约近过超计共到达为"
_BOUND_LAST = _AMOUNT_LAST + "于在别及盖按"
_CHANGE_END_LAST = "长加高降少"
_CHANGE_ONLY_LAST = "".join({w[-1] for w in _CHANGE_VERBS}) + "到至"
# the same with a newline, for the tests inline in _activity
_BOUND_END = _BOUND_LAST + "\n"
_CHANGE_ONLY_END = _CHANGE_ONLY_LAST + "\n"


def _strip_end(words: re.Pattern, last: str, text: str) -> str:
    """words.sub("", text) for words anchored at the end ($) whose matches end in a character of
    last; $ also matches before a final newline, so a text ending in one goes to re as well."""
    if text and (text[-1] in last or text[-1] == "\n"):
        return words.sub("", text)
    return text


_FIGURE_OR_MARK = re.compile(r"[\d*]")
_DIGIT = re.compile(r"[0-9]")
_CLAUSE_MARK = re.compile(r"[，,；;。:：\n]")
_VERBS = frozenset(_ACT_VERBS)
# the verbs reversed: the first of them in a text reversed is the latest verb in the text, found
# without backtracking through it from its end (issue 15)
_REVERSED_VERB = re.compile("|".join(v[::-1] for v in _ACT_VERBS))


def _last_verb(before: str) -> tuple[int, str]:
    """(offset, verb) of the verb whose last occurrence in before is the latest one not ending
    it; (-1, "") if none. The verbs all have two characters: the latest one is the first in before
    reversed (less its last character), passing over the verb that ends before, if one does (its
    last occurrence ends it)."""
    n = len(before)
    if n <= 2:
        return -1, ""
    ending = before[n - 2 :][::-1]
    back = before[: n - 1][::-1]
    m = _REVERSED_VERB.search(back)
    while m and m.group() == ending:
        m = _REVERSED_VERB.search(back, m.start() + 1)
    return (n - 3 - m.start(), m.group()[::-1]) if m else (-1, "")


def _activity(text: str, q: Quantity, clause_start: int, after: str) -> str:
    """The noun phrase the number counts (when no noun follows the unit): the clause before it;
    after is _after(text, q)."""
    word = after.lstrip("“‘「《")
    before = text[clause_start : q.start]
    if len(word) == 1 and "\u4e00" <= word <= "\u9fff" and (not before or before[-1] == "、"):
        return after  # 17个区、2个县（市）: a list of one-character nouns counted
    if "年" in before:  # (`in` first: most clauses name no year)
        base = YEAR.search(before)
        # 城乡居民收入从2017年的300亿元增加到…: the subject, not the base year; the leftmost year, with
        # the word before it that introduces it (从, 比, …)
        cut = base.start() - (base.start() > 0 and before[base.start() - 1] in _FROM_WORDS) if base else 0
        if cut >= 2:
            before = before[:cut]
    # the words are stripped inline, re asked only for a text ending in one of their last characters
    # (x[-1:] is "" for "", which is in every str, and "" stays ""); a text of amount words alone is
    # one of bound words alone: the amount words are asked about only when the bound words leave
    # nothing (issue 15; tests/test_parse.py compares)
    bare = _BOUND_WORDS.sub("", before) if before[-1:] in _BOUND_END else before
    if not bare and clause_start > 1 and not _AMOUNT_WORDS.sub("", before):
        # 增长20%，达到282亿元: the subject is in the clause before
        ps, _ = _clause(text, clause_start - 2, clause_start - 1)
        head = _FIGURE_OR_MARK.split(text[ps : clause_start - 1], maxsplit=1)[0]
        before = _strip_end(_CHANGE_END, _CHANGE_END_LAST, head) + before
        bare = _strip_end(_BOUND_WORDS, _BOUND_LAST, before)
    before = bare
    if "、" in before and _DIGIT.search(before):  # an earlier figure: 产量增长31.2%、占全国44%
        before = _subject(before) + before.rsplit("、", 1)[-1]
    best, verb = _last_verb(before)
    if best > 2 and verb not in _CHANGE_VERBS:  # 城镇新增就业: a subject of one word stays with its verb
        before = before[best:]
    elif before[-1:] in _CHANGE_ONLY_END and not _CHANGE_ONLY.sub("", before):
        # the clause is only the verb (提高到75%): its subject ends the text before it
        head = _CLAUSE_MARK.split(text[max(0, clause_start - 30) : clause_start].rstrip("，,；;。、"))[-1]
        before = _subject(head) + before
    last = before[-1:]
    if last in "到至\n":  # ("" too, which _CHANGE_TO_END leaves as it is)
        before = _CHANGE_TO_END.sub(_first_group, before)
        last = before[-1:]
    # _OPENING_WORDS.sub("", before), which is anchored at ^; a first character none of the words
    # opens with is not asked about (issue 15)
    first = before[:1]
    if first in _OPENING_FIRST:
        opening = _OPENING_WORDS.match(before)
        if opening:
            before = before[opening.end() :]
            first, last = before[:1], before[-1:]
    if last in "成\n":  # 地区生产总值完成182.6亿元
        before = _DONE_END.sub("", before)
        first = before[:1]
    # 第三届…大会达成投资项目, 15个主平台新承接…: asked only where one can start (第, 首, a digit)
    lead = _LEADING_ORDINAL.match(before) if first and (first in "第首" or first.isdecimal()) else None
    if lead and len(before) - lead.end() >= 2:
        before = before[lead.end() :]
    if len(before) > 24:
        tail = before[before.rfind("等") + 1 :]
        before = tail if 2 <= len(tail) <= 24 else before[-24:]
    return before.strip(' “”"、')


def _first_group(m: re.Match) -> str:
    return m.group(1)  # a function, not r"\1": re calls back into Python for a template on every call


# a year (lines.YEAR) is found by its digits and the word before it checked by hand: an optional word
# first made re try a match at every position (issue 15)
_FROM_WORDS = "从由自比较与"
_LEADING_ORDINAL = re.compile(
    r"(?:第[一二三四五六七八九十百\d]+[届次批期轮]|首届|首批|\d+(?:\.\d+)?(?:万|亿)?[个家项所座条批])+"
)
