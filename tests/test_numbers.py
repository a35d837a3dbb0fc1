"""The number grammar: numerals, measure words, qualifiers, redaction, ranges, lists and traps."""

import re
import sys
from pathlib import Path

import pytest

from tracker.numbers import (
    DIGIT_RANGES,
    QUANTITY_RE,
    SCAN_RE,
    UNITS,
    find_quantities,
    fold,
    number_text,
    to_number,
)
from tracker.read import read_path

ROOT = Path(__file__).resolve().parents[1]


def one(text):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("span", "value"),
    [
        ("39", 39),
        ("３９", 39),
        ("1,200", 1200),
        ("3.75", 3.75),
        ("两", 2),
        ("三十九", 39),
        ("一千二百", 1200),
        ("十", 10),
        ("三点五", 3.5),
        ("两千", 2000),
    ],
)
def test_to_number(span, value):
    assert value == to_number(span)


def test_bare_scale_is_not_a_number():
    assert None is to_number("百")


def test_fold_keeps_length():
    text = "　　办理建议８６件，完成１００％。"
    assert len(text) == len(fold(text))
    assert fold(text) == "  办理建议86件,完成100%。"


def test_arabic_count():
    q = one("召开专题议政性常委会3次")
    assert (q.value, q.unit, q.approx, q.bound, q.redacted) == (3, "次", False, None, False)


def test_full_width_digits_keep_offsets():
    text = "办理代表建议８６件"
    q = one(text)
    assert (q.value, q.unit) == (86, "件")
    assert text[q.start : q.end] == "８６件"


def test_decimal_and_scale_in_unit():
    q = one("地方政府专项债券3.75万亿元")
    assert (q.value, q.unit) == (3.75, "万亿元")


def test_thousands_separator():
    assert (one("新增就业1,200万人").value, one("新增就业1,200万人").unit) == (1200, "万人")


@pytest.mark.parametrize(
    ("text", "value"),
    [("两个市民广场", 2), ("三十九次", 39), ("一千二百人", 1200), ("组织代表学习培训三期。", 3)],
)
def test_chinese_numerals(text, value):
    assert value == one(text).value


def test_shi_yu_is_ten_approx():
    q = one("开展调研十余次")
    assert (q.value, q.unit, q.approx) == (10, "次", True)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("座谈***场", "场"),
        ("***余人次", "人次"),
        ("捐赠款物***余万元", "万元"),
        ("收到提案×××件", "件"),
        ("XX名委员", "名"),
        ("○○项制度", "项"),
    ],
)
def test_redacted(text, unit):
    q = one(text)
    assert (None, unit, True) == (q.value, q.unit, q.redacted)


def test_redacted_with_yu_is_approx():
    assert one("参加人员***余人次").approx


@pytest.mark.parametrize("text", ["100余条", "4万多名", "约5000亿元", "近2万亿元", "失业率6%左右"])
def test_approx(text):
    assert one(text).approx


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("新增就业900万人以上", "min"),
        ("不低于6次", "min"),
        ("超过40%", "min"),
        ("力争培训3500万人次以上", "min"),
        ("控制在3%以内", "max"),
        ("5%以下", "max"),
        ("不超过20家", "max"),
        ("不少于5.5个", "min"),
        ("增长8%", None),
    ],
)
def test_bounds(text, bound):
    assert bound == one(text).bound


@pytest.mark.parametrize("text", ["增长5%—6%", "增长5%-6%", "增长5-6%"])
def test_range(text):
    q = one(text)
    assert (q.value, q.value_max, q.unit) == (5, 6, "%")


def test_list_gives_one_metric_each():
    found = find_quantities("分别增长8%和10%")
    assert [(q.value, q.unit) for q in found] == [(8, "%"), (10, "%")]


@pytest.mark.parametrize(("text", "value"), [("百分之三点五", 3.5), ("百分之五十", 50)])
def test_chinese_percent(text, value):
    q = one(text)
    assert (value, "%") == (q.value, q.unit)


def test_percentage_points():
    q = one("下降0.5个百分点")
    assert (q.value, q.unit) == (0.5, "个百分点")


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("1352万人", "万人"),
        ("1.2亿元", "亿元"),
        ("1.3万亿斤", "万亿斤"),
        ("3.9万个", "万个"),
        ("8000万亩", "万亩"),
        ("3500万人次", "万人次"),
    ],
)
def test_scales(text, unit):
    assert unit == one(text).unit


def test_measure_word_registry_has_the_genre_units():
    for unit in (
        "次",
        "件",
        "项",
        "个",
        "家",
        "名",
        "人",
        "人次",
        "场",
        "条",
        "篇",
        "期",
        "所",
        "座",
        "套",
        "户",
        "元",
        "公里",
        "亩",
        "吨",
        "%",
        "个百分点",
    ):
        assert unit in UNITS


def test_number_without_measure_word_is_not_a_quantity():
    assert find_quantities("全市共有委员230,我们在2023年") == []


@pytest.mark.parametrize(
    "text",
    [
        "全国政协第***期干部培训",
        "2023.1.10七届三次工作报告",
        "七届二次全会期间",
        "市委七届四次全会",
        "十三届全国人大三次会议",
        "2023年工作安排",
        "5月22日",
        "“1124+N”协商议政格局",
        "聚焦打造“9+5”系列",
        "110指挥中心",
        "忠诚捍卫“两个确立”",
        "“三联三带”系列制度",
        "五位一体的组织体系",
        "团结和民主两大主题",
        "“两支队伍”",
        "打造一支“能说会写”的队伍",
        "“十四五”规划",
        "党的二十大",
        "十九届历次全会",
        "深入开展“万人助万企”活动",
        "共建一带一路",
        "中国式现代化***场景",
        "到***街道对社区建设",
        "1.大文斗范文网",
        "2.《报告》一文",
        "3.如果本网",
        "一是深化协商",
        "一年来",
        "连续24个月",
        "严格落实中央八项规定精神",
        "5G应用",
        "占全国1/4",
        "2×35万千瓦热电联产",
        "要突出抓好以下四个方面的工作",
        "扶持三元、麦福劳等龙头企业",
        "破除城乡二元结构",
        "开工建设南沙港五期",
        "建成超算中心二期。",
        "出台“科技金融15条”",
        "完成“两个200万亩”任务",
        "做好墓地二次发掘",
        "推动三次产业协调发展",
        "三次分配协调配套",
    ],
)
def test_traps_are_not_quantities(text):
    assert find_quantities(text) == []


def test_names_and_adjectives_leave_real_counts_alone():
    """A figure closed by its quotes is a name; 二次/三次 before a noun is an adjective, not a count."""
    assert [(3652, "个"), (3, "次"), (2, "次")] == [
        (q.value, q.unit) for q in find_quantities("建成“长者饭堂”3652个，召开常委会会议三次，开展两次督查")
    ]


def test_a_malformed_chinese_numeral_is_not_a_number_and_does_not_crash():
    """Hypothesis found 万十九名: cn2an raises KeyError on it."""
    assert [] == [q for q in find_quantities("万十九名") if q.value is not None and q.value > 1e4]


def test_fold_is_the_width_fold_of_every_character():
    # issue 15: fold replaces characters by str.replace; it must still be the per-character fold
    text = "".join(chr(cp) for cp in range(0xFF00, 0xFF61)) + "\u3000 ，。２０２４年（一）ＡＢｃ"
    expected = "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else " " if c == "\u3000" else c for c in text
    )
    assert expected == fold(text)
    # a long text (its punctuation replaced first, the other full-width forms found by bytes)
    long_text = "２０２４年，全市ＧＤＰ增长５％；\U0001f600\ud800＿" + text * 3
    assert len(long_text) > 200
    assert "".join(expected_fold(c) for c in long_text) == fold(long_text)


def expected_fold(c):
    return chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else " " if c == "\u3000" else c


def test_the_full_width_forms_found_by_bytes_are_those_the_pattern_finds():
    # issue 15: every character (astral ones and lone surrogates too), and U+xxFF whose low byte is 0xFF
    from tracker.numbers import _FULL_WIDTH, _full_width_in

    text = "".join(map(chr, range(sys.maxunicode + 1)))
    assert set(_FULL_WIDTH.findall(text)) - {"\u3000"} == _full_width_in(text)
    assert {"５"} == _full_width_in("仿\u4eff\uffff５\U0001ffff")


_GROUPS = ("pct", "unit1", "dash", "num2", "scale1", "approx", "scale2", "unit", "post")


def _scan_groups(m):
    # SCAN_RE writes its optional groups (…|), so one left out is "" where QUANTITY_RE's is None
    return tuple(None if g == "" else g for g in m.group(*_GROUPS))


_EDGES = (
    "1,234万元、12.5%、3-5个、百分之五十、五百分之三、***个、××项、xx人、XX名、○○件、█元、2025年5个、"
    "三百万人、一二三个、第3次、5G基站20个、0.5个百分点、２０２４年建成１２座、十余项、2万多人、1至3个、1.5.3个、12,34个"
)


@pytest.mark.parametrize(
    "path",
    sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
    + sorted((ROOT / "tests" / "fixtures").rglob("*.txt")),
    ids=lambda p: p.name,
)
def test_the_fast_scan_finds_what_the_quantity_pattern_finds(path):
    # issue 15: find_quantities scans with SCAN_RE, QUANTITY_RE rewritten to open with a character class
    texts = [fold(read_path(path)), _EDGES, fold(_EDGES)]
    for text in texts:
        expected = [(m.span(), m.group("num"), m.group(*_GROUPS)) for m in QUANTITY_RE.finditer(text)]
        scanned = [(m.span(), number_text(text, m), _scan_groups(m)) for m in SCAN_RE.finditer(text)]
        assert expected == scanned


def test_the_fast_scan_opens_on_every_decimal_digit():
    # issue 15: SCAN_RE's first class gives \d as ranges; they must hold every character \d matches
    # (the alternatives after it check the character, so the ranges may hold more)
    digits = re.findall(r"\d", "".join(map(chr, range(sys.maxunicode + 1))))
    first = re.compile(f"[{DIGIT_RANGES}]")
    assert [] == [d for d in digits if not first.match(d)]
    assert 600 < len(digits)


def test_the_fast_scan_drops_what_its_digit_ranges_hold_besides_digits():
    # issue 15: a character in DIGIT_RANGES that is no digit (Arabic, Thai, Hangul, astral letters)
    # opens no match, also where a digit or a measure word follows it
    text = "ء5个، ก3项 가2名 𝐀9人 𝟓个 ٣个 ５个"
    expected = [(m.span(), m.group("num")) for m in QUANTITY_RE.finditer(text)]
    assert expected == [(m.span(), number_text(text, m)) for m in SCAN_RE.finditer(text)]
    assert 7 == len(expected)


def test_find_quantities_reads_the_scan_groups_in_their_order():
    # issue 15: find_quantities unpacks m.groups() and takes the ends from the groups' lengths
    from tracker.numbers import SCAN_GROUPS

    assert list(SCAN_GROUPS) == list(SCAN_RE.groupindex)
    for m in SCAN_RE.finditer(fold(_EDGES) + "百分之五十以上、3万人左右"):
        post = m.group("post") or ""
        end = m.end("unit") if m.group("pct") is None else m.end("pct")
        assert end == m.end() - len(post)
        if m.group("numtail") is not None:
            assert m.end("numtail") == m.start() + 1 + len(m.group("numtail"))


def test_the_fast_scan_lets_through_every_second_character_a_figure_can_have():
    # issue 15: SCAN_RE looks at the character after the first before trying the alternatives;
    # one-character numbers followed by each thing that can follow a number, and the numbers' own
    units = "".join(f"5{u}、三{u}、█{u}、" for u in UNITS)
    text = units + (
        "5%、5-6个、5—6个、5~6个、5至6个、5到6个、5万人、5亿元、5万亿元、5千瓦、5余人、5多人、五千人、五点五亿元、"
        "百分之五、百分之5、5,000人、5.5万人、**个、××项、XX人、xx人、○○件、█元、█%、3万余人、三千余万元"
    )
    expected = [(m.span(), m.group("num"), m.group(*_GROUPS)) for m in QUANTITY_RE.finditer(text)]
    scanned = [(m.span(), number_text(text, m), _scan_groups(m)) for m in SCAN_RE.finditer(text)]
    assert expected == scanned
    assert len(UNITS) * 3 < len(scanned)


def test_the_measure_words_tree_matches_what_their_alternation_longest_first_matches():
    # issue 15: SCAN_RE gives the measure words as a tree of their characters
    from tracker.measure_words import longest_first_tree
    from tracker.numbers import _UNIT_ALT, _UNIT_TREE

    alternation, tree = re.compile(_UNIT_ALT), re.compile(_UNIT_TREE)
    samples = [u + tail for u in UNITS for tail in ("", "次", "人", "以上", "米", "套")]
    samples += [u[:k] for u in UNITS for k in range(1, len(u))] + ["", "万人", "年", "千伏安装", "平方"]
    for text in samples:
        expected = alternation.match(text)
        got = tree.match(text)
        assert (expected and expected.group()) == (got and got.group()), text
    words = ["ab", "a", "abc", "b", "abd"]
    assert "(?:a(?:b(?:(?:c|d)|)|)|b)" == longest_first_tree(words)
    for text in ("abcx", "abdx", "abx", "ax", "bx", "cx"):
        expected = re.match("abc|abd|ab|a|b", text)
        got = re.match(longest_first_tree(words), text)
        assert (expected and expected.group()) == (got and got.group()), text
