"""Quantities in Chinese text: numerals, measure words, redaction, approximation and bounds.

Everything here is a pure function over a string. Offsets always refer to the string passed in:
matching runs on a length-preserving fold of it (full-width ASCII to half-width), so a span found
in the fold is the same span in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn2an

from tracker.measure_words import UNITS, longest_first_tree

# --- length-preserving fold ---------------------------------------------------------------------
# NFKC would also rewrite characters such as "…" or "㎡" into several characters and shift every
# offset after them; full-width ASCII and the ideographic space are the only folds matching needs.
_FOLD = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}
_FOLD["\u3000"] = " "
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def fold(text: str) -> str:
    """Full-width ASCII and U+3000 to half-width, keeping the length (and so every offset)."""
    # one str.replace per distinct full-width character: str.translate with a dict looks every
    # character of a Chinese text up in the dict, about ten times slower (issue 15). In a long text
    # the genre's punctuation first, then the few others; a short one (a line) goes to findall.
    if len(text) > 200:
        for c in "，：；（）\u3000":
            text = text.replace(c, _FOLD[c])
    for c in _full_width_in(text) if len(text) > 200 else set(_FULL_WIDTH.findall(text)):
        text = text.replace(c, _FOLD[c])
    return text


def _full_width_in(text: str) -> set[str]:
    """The full-width forms U+FF01-FF5E in text, found by bytes.find where _FULL_WIDTH.findall tests
    its class at every character; memchr skips to the next 0xFF byte (issue 15). In UTF-16-BE
    every character is one or two units of two bytes, and a unit U+FFxx (full-width forms) is the
    only one whose high byte, at an even offset, is 0xFF; the 0xFF at odd offsets are low bytes."""
    data = text.encode("utf-16-be", "surrogatepass")
    found = set()
    i = data.find(b"\xff")
    while i >= 0:
        if i % 2 == 0 and (c := chr(0xFF00 | data[i + 1])) in _FOLD:
            found.add(c)
        i = data.find(b"\xff", i + 1)
    return found


# Chinese numerals before these are almost always phases, names or idioms (二期, 五位一体, 四处).
_CN_EXCLUDED_UNITS = set("处面方道手口头只支位部点层级代届季期批本起例份块根眼首轮门双副顶节集卷尾颗枚幅羽匹")
# ... unless the measure word closes the clause: 培训三期。 举办两批， are counts (期 only for
# classes and issues: 港五期、核电二期 are phases)
_CN_COUNT_AT_END = set("期批起例份")
_TERM_CONTEXT = re.compile(r"培训|学习|班|讲座|研讨|轮训|研修|论坛|刊|简报|专报|讲堂|沙龙")


def _cn_count_at_end(folded: str, start: int, unit: str, nxt: str) -> bool:
    if unit not in _CN_COUNT_AT_END or not nxt or nxt not in "。，；,;":
        return False
    return unit != "期" or bool(_TERM_CONTEXT.search(folded, max(0, start - 12), start))


# A Chinese-numeral count followed by these words names a doctrine or programme (八项规定,
# 四个意识), which the genre writes in Chinese numerals; real counts are written in Arabic digits.
_DOCTRINE_WORDS = ("规定", "意识", "自信", "维护", "确立", "原则", "基本", "坚持", "必须", "统一", "全覆盖")
# a session number: 七届三次全会, 十三届全国人大三次会议
_SESSION_AFTER = ("全会", "会议", "全体会议", "全委会", "常委会", "代表大会")
_SESSIONS_LISTED = re.compile(
    rf"(?:[、和及与][零〇一二两三四五六七八九十]+次)*(?:{'|'.join(_SESSION_AFTER)})"
)

_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))


_UNIT_TREE = longest_first_tree(UNITS)
# the first characters of the measure words: one class check before re tries the words one by one
_UNIT_FIRST = re.escape("".join(sorted({u[0] for u in UNITS})))
_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_NUM = _CN_DIGIT + "十百千万亿"
_ARABIC = r"(?<![\d.,])\d+(?:,\d{3})+(?![\d,])(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?"
_CHINESE = rf"(?<![{_CN_NUM}])[{_CN_NUM}]+(?:点[{_CN_DIGIT}]+)?"
# redaction marks that stand for a hidden number
_REDACT = r"\*{2,}|×{2,}|[Xx]{2,}|○{2,}|█+"
_NUM = rf"(?:{_REDACT}|{_ARABIC}|{_CHINESE})"

QUANTITY_RE = re.compile(
    rf"(?:百分之(?P<pct>{_ARABIC}|[{_CN_NUM}]+(?:点[{_CN_DIGIT}]+)?)"
    rf"|(?P<num>{_NUM})"
    rf"(?:(?P<unit1>%|万亿|亿|万)?(?P<dash>[-—–~～至到])(?P<num2>{_ARABIC}|{_CHINESE}))?"
    rf"(?P<scale1>万亿|亿|万|千)?(?P<approx>余|多)?(?P<scale2>万亿|亿|万)?"
    rf"(?P<unit>{_UNIT_ALT}))"
    r"(?P<post>及以上|以上|以下|以内|之内|左右|上下)?"
)

# QUANTITY_RE as re can scan fast: opening with one character class lets re skip to the next
# candidate by itself, where QUANTITY_RE's lookbehinds and alternatives make it try a full match at
# every position (issue 15: about ten times slower). The first character is taken first and each
# alternative checks behind it which it was, so the number is text[m.start() : m.end("numtail")];
# otherwise the matches and groups are QUANTITY_RE's (tests/test_numbers.py compares the two).
_TAIL_REDACT = r"(?<=\*)\*+|(?<=×)×+|(?<=[Xx])[Xx]+|(?<=○)○+|(?<=█)█*"
# possessive \d*+ and \d++: what follows a run of digits never starts with a digit, so giving one back
# cannot make a match, and re need not try (issue 15)
# An optional part of more than one character is written (?:…|) and an optional group (…|), not
# (…)?: re runs a ? or + over more than one character as a repeat, with an allocation and the
# groups saved each time it is tried, several times a figure (issue 15). A group left out is then
# "" where QUANTITY_RE's is None (no group of QUANTITY_RE matches ""); (?=,) guards the repeat of
# the thousands.
_TAIL_ARABIC = (
    r"(?<=\d)(?<![\d.,]\d)\d*+(?=,)(?:,\d{3})+(?![\d,])(?:\.\d++|)|(?<=\d)(?<![\d.,]\d)\d*+(?:\.\d++|)"
)
_TAIL_CHINESE = rf"(?<=[{_CN_NUM}])(?<![{_CN_NUM}][{_CN_NUM}])[{_CN_NUM}]*(?:点[{_CN_DIGIT}]+|)"
# the first character's class holds \d as ranges that contain every decimal digit: re checks \d by
# a call per character of the text, ranges in one table lookup (issue 15). The ranges hold other
# characters too (no Chinese character nor the genre's punctuation); every alternative below checks
# behind it what the first character was, so those are tried and dropped (tests/test_numbers.py).
DIGIT_RANGES = "0-9\u0660-\u1c59\ua620-\uabf9\uff10-\uff19\U00010000-\U0010ffff"
# what the second character of a figure can be: the number's own (a digit, a numeral, 点 , . 分 of
# 百分之, a redaction mark) or, after a one-character number, what follows it (%, a range's dash, a
# scale, 余/多, a measure word). Checked first, it drops at once most numerals of words (一是, 统一)
# before re tries the alternatives (issue 15)
_SECOND = re.escape("".join(sorted(set(_CN_NUM + "点,.分%-—–~～至到余多*×Xx○█").union(u[0] for u in UNITS))))
SCAN_RE = re.compile(
    rf"[百{DIGIT_RANGES}*×Xx○█{_CN_NUM}](?=[{_SECOND}{DIGIT_RANGES}])"
    rf"(?:(?<=百)分之(?P<pct>{_ARABIC}|[{_CN_NUM}]+(?:点[{_CN_DIGIT}]+)?)"
    rf"|(?P<numtail>{_TAIL_ARABIC}|{_TAIL_CHINESE}|{_TAIL_REDACT})"  # the digits' first: most figures
    # a range only where the next character can open one (its unit1 or dash), the measure words as a
    # tree (issue 15)
    rf"(?:(?=[-—–~～至到%万亿])(?P<unit1>%|万亿|亿|万|)(?P<dash>[-—–~～至到])(?P<num2>{_ARABIC}|{_CHINESE})|)"
    rf"(?P<scale1>万亿|亿|万|千|)(?P<approx>余|多|)(?P<scale2>万亿|亿|万|)"
    rf"(?P<unit>(?=[{_UNIT_FIRST}]){_UNIT_TREE}))"
    r"(?P<post>及以上|以上|以下|以内|之内|左右|上下|)"
)


def number_text(folded: str, m: re.Match) -> str | None:
    """The number a SCAN_RE match found (QUANTITY_RE's group "num"); None for 百分之."""
    end = m.end("numtail")
    return folded[m.start() : end] if end >= 0 else None


_PRE_APPROX = ("大约", "接近", "约", "近")
_PRE_MIN = ("不低于", "不少于", "超过", "至少", "多于", "高于", "突破", "超", "逾")
_PRE_MAX = ("不超过", "不高于", "控制在", "不到", "低于", "少于")
_OPEN_QUOTES = "“‘「『《\"'"
_CLOSE_QUOTES = "”’」』》"
# 二次/三次 before these words means secondary/tertiary, not a number of times
_ADJECTIVE_AFTER = (
    "产业",
    "分配",
    "创业",
    "开发",
    "发掘",
    "供水",
    "元",
    "污染",
    "利用",
    "加工",
    "装修",
    "转化",
    "感染",
)


@dataclass(slots=True)  # slots: made for every candidate figure, a third faster to build (issue 15)
class Quantity:
    """One number with its measure word, found in a text; start/end span the number and unit."""

    value: float | int | None
    unit: str
    start: int
    end: int
    approx: bool = False
    bound: str | None = None
    redacted: bool = False
    value_max: float | int | None = None


def _as_number(x: float) -> float | int:
    return int(x) if float(x).is_integer() and abs(x) < 1e15 else x


@lru_cache(maxsize=4096)
def to_number(span: str) -> float | int | None:
    """Convert one numeral span (Arabic, full-width or Chinese) to a number; None if it is none."""
    s = fold(span).replace(",", "").strip()
    if not s:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return _as_number(float(s)) if "." in s else int(s)
    if s in ("百", "千", "万", "亿", "万亿"):
        return None  # 百家争鸣, 千家万户: a bare scale character is not a numeral
    try:
        return _as_number(cn2an.cn2an(s, "smart"))
    except (ValueError, KeyError, IndexError):  # cn2an raises KeyError on 万十九, not only ValueError
        return None


_PREFIXES = sorted(
    [(w, False, "max") for w in _PRE_MAX]
    + [(w, False, "min") for w in _PRE_MIN]
    + [(w, True, None) for w in _PRE_APPROX],
    key=lambda p: len(p[0]),
    reverse=True,
)  # longest first: 不少于 must win over 少于


_PREFIX_OF = {w: (approx, bound) for w, approx, bound in _PREFIXES}
# one search instead of a loop: the leftmost suffix of the three characters is the longest word
# \Z, not $: $ also matches before a newline, and a word then reached across a line break
_PREFIX_RE = re.compile(f"(?:{'|'.join(w for w, _, _ in _PREFIXES)})\\Z")


# most figures follow none of the words: their last characters decide whether re is asked at all
# (issue 15)
_PREFIX_LAST = frozenset(w[-1] for w, _, _ in _PREFIXES)


def _prefix_bound(folded: str, start: int) -> tuple[bool, str | None]:
    if start == 0 or folded[start - 1] not in _PREFIX_LAST:
        return False, None
    m = _PREFIX_RE.search(folded, max(0, start - 3), start)
    return _PREFIX_OF[m.group()] if m else (False, None)


# the characters before a figure that make it part of something else (see _rejected), one set
# lookup instead of a test each (issue 15)
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_REJECTED_BEFORE = _ASCII_ALNUM | frozenset("第届+/.-#×" + _OPEN_QUOTES)


def _rejected(folded: str, s: int, end: int, unit: str, num: str) -> bool:
    """Traps: ordinals, sessions, names, slogans, codes and measure words that start other words.
    The figure is folded[s:end], its number num and its measure word unit."""
    if s > 0 and folded[s - 1] in _REJECTED_BEFORE:
        # 第***期, 七届三次; 5G, 1+3+8, 2×35; “两个确立”, “1124+N”: a name in quotes
        return True
    nxt = folded[end] if end < len(folded) else ""
    if nxt:
        if nxt in UNITS.get(unit, "") or nxt in _ASCII_ALNUM:  # ***场景, 24个月
            return True
        if nxt in _CLOSE_QUOTES:  # “科技金融15条”, “两个200万亩”: the figure ends a quoted name
            opened = max(folded.rfind(c, max(0, s - 12), s) for c in _OPEN_QUOTES)
            if opened >= 0 and not any(c in _CLOSE_QUOTES for c in folded[opened:s]):
                return True
    if unit == "个" and folded.startswith("方面", end):  # 以下四个方面: the plan's outline, not a count
        return True
    if num[0] not in _CN_NUM:
        return False
    if num == "一":
        return True
    if unit == "元" and len(num) == 1:  # 三元 (a brand), 二元结构: money is written in digits
        return True
    if unit in _CN_EXCLUDED_UNITS and not _cn_count_at_end(folded, s, unit, nxt):
        return True  # 二期工程, 四处, 核电二期; but 组织代表学习培训三期。 closes a count
    if nxt and nxt in _CN_NUM:  # 五位一体, 三联三带
        return True
    rest = folded[end : end + 4]
    if rest.startswith(_DOCTRINE_WORDS):
        return True
    if unit == "次" and _SESSIONS_LISTED.match(folded, end):
        return True  # 三次全会, and 三次、四次、五次全会: each is a session's number
    # 二次发掘, 三次产业, 三次分配: secondary, tertiary
    return unit == "次" and num in ("二", "三") and rest.startswith(_ADJECTIVE_AFTER)


# SCAN_RE's groups in their order: find_quantities reads them all by one m.groups() and the ends it
# needs from their lengths, instead of a call by name for each (issue 15)
SCAN_GROUPS = ("pct", "numtail", "unit1", "dash", "num2", "scale1", "approx", "scale2", "unit", "post")


def find_quantities(
    text: str, start: int = 0, end: int | None = None, folded: str | None = None
) -> list[Quantity]:
    """Every number with a measure word in text[start:end] (offsets into text), traps left out."""
    folded = fold(text) if folded is None else folded
    end = len(text) if end is None else end
    out: list[Quantity] = []
    for m in SCAN_RE.finditer(folded, start, end):
        pct, numtail, _, _, num2, scale1, more, scale2, unit, post = m.groups()
        s = m.start()
        e = m.end() - len(post) if post else m.end()  # the end of pct or of the measure word
        # most figures follow no bound word: its last character decides whether to look (issue 15)
        approx, bound = _prefix_bound(folded, s) if s and folded[s - 1] in _PREFIX_LAST else (False, None)
        if pct is not None:
            value = to_number(pct)
            if value is None:
                continue
            q = Quantity(value, "%", s, e, approx=approx, bound=bound)
            if post:
                _apply_post(q, post, m.end())
            out.append(q)
            continue
        num = folded[s : s + 1 + len(numtail)]  # number_text(folded, m): the first character and its tail
        if _rejected(folded, s, e, unit, num):
            continue
        redacted = not (num[0].isdigit() or num[0] in _CN_NUM)
        value = None if redacted else to_number(num)
        if value is None and not redacted:
            continue
        if scale1 or scale2:
            unit = (scale1 or "") + (scale2 or "") + unit
        value_max = None
        if num2:
            value_max = to_number(num2)
            if value_max is None or (value is not None and value_max <= value):
                continue  # 2-1 is not a range; a date like 1-11 has no unit anyway
        q = Quantity(value, unit, s, e, approx or bool(more), bound, redacted, value_max)
        if post:
            _apply_post(q, post, m.end())
        out.append(q)
    bare = _bare_scales(folded, start, end)
    if bare:
        out = sorted(out + bare, key=lambda q: q.start)
    return out


# a count with no measure word after its scale, closing a clause after a verb of change:
# 农村贫困人口减少1109万，  (the unit is the scale itself: 1109 万)
# found by the scale character, the digit checked behind it: re skips ahead to 万 and 亿 faster than
# to any digit, and to one character given as a literal faster still than to a class [万亿] (issue
# 15). A digit before `start` is let through here and fails _BARE_NUMBER below.
_BARE_SCALES = tuple(re.compile(rf"{c}(?=[，。；,;])(?<=\d.)") for c in "万亿")
_BARE_NUMBER = re.compile(r"\d+(?:\.\d+)?$")
_BARE_BEFORE = re.compile(r"(?:减少|增加|新增|达到|超过|突破|累计|共|达|约|近)\Z")


def _bare_scales(folded: str, start: int, end: int) -> list[Quantity]:
    out = []
    scales = (m for rx in _BARE_SCALES for m in rx.finditer(folded, start, end))
    for m in sorted(scales, key=lambda m: m.start()):
        scale = m.end() - 1
        num = _BARE_NUMBER.search(folded, max(start, scale - 12), scale)
        if num is None or (num.start() > 0 and folded[num.start() - 1] in "0123456789.,"):
            continue
        if not _BARE_BEFORE.search(folded, max(0, num.start() - 2), num.start()):
            continue
        approx, bound = _prefix_bound(folded, num.start())
        q = Quantity(to_number(num.group()), folded[scale], num.start(), m.end(), approx=approx, bound=bound)
        out.append(q)
    return out


def _apply_post(q: Quantity, post: str, end: int) -> None:
    if post:
        q.end = end
    if post in ("以上", "及以上"):
        q.bound = "min"
    elif post in ("以下", "以内", "之内"):
        q.bound = "max"
    elif post in ("左右", "上下"):
        q.approx = True
