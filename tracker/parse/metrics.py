"""Pass 4: the metrics, every figure with a measure word in the review (counts) and the plan
(targets): what it counts, the clause quoted, and the item it belongs to."""

from __future__ import annotations

import bisect
import re

from tracker.goal_types import classify
from tracker.model import REVIEW, Item, Metric
from tracker.numbers import Quantity, find_quantities, fold

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


def find_metrics(
    text: str, regions: dict[str, list[tuple[int, int]]], items: list[Item], ends: list[int]
) -> list[Metric]:
    """The metrics of each part's regions, in text order per region, tied to the item around them."""
    folded = fold(text)
    spans = sorted((it.start, end, idx) for idx, (it, end) in enumerate(zip(items, ends, strict=True)))
    starts = [s[0] for s in spans]
    out: list[Metric] = []
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
                if k >= 0 and spans[k][1] >= q.end and items[spans[k][2]].part == part:
                    item = spans[k][2]
                out.append(
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
                        type=None
                        if part == REVIEW
                        else classify(q.unit, q.bound, activity, text[cs:ce], q.value),
                    )
                )
    return out


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
