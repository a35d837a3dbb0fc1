"""Property tests: the parser never crashes on arbitrary text, and every quote is verbatim."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.errors import NotAWorkReport
from tracker.numbers import find_quantities
from tracker.parse import parse_report

# derandomized: CI runs the same examples every time, so a red build means a change broke something
# (explore new examples locally with HYPOTHESIS_EXPLORE=1)
SETTINGS = settings(
    max_examples=2000 if os.environ.get("HYPOTHESIS_EXPLORE") else 200,
    deadline=None,
    derandomize=not os.environ.get("HYPOTHESIS_EXPLORE"),
    suppress_health_check=[HealthCheck.too_slow],
)

# pieces of the genre, so random text often looks like a report and reaches every rule
PIECES = [
    "2022年工作回顾",
    "2023年工作安排",
    "一、",
    "（二）",
    "第三，",
    "1.",
    "一是",
    "二是",
    "。",
    "，",
    ",",
    "；",
    "\n",
    "\r\n",
    "　　",
    "强化理论武装不停步。",
    "召开常委会3次",
    "***",
    "余",
    "多",
    "左右",
    "以上",
    "以内",
    "次",
    "件",
    "万元",
    "%",
    "个百分点",
    "百分之三点五",
    "5%—6%",
    "两",
    "三十九",
    "十余",
    "七届三次",
    "第***期",
    "“1124+N”",
    "附件",
    "名词解释",
    "十件民生实事",
    "版权声明:",
    "年内",
    "上半年",
    "3月底",
    "——2020年5月22日",
    "各位委员：",
    "１２",
    "×××",
]
genre_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=60).map("".join)
any_text = st.one_of(st.text(max_size=300), genre_text)


def check_report(text):
    try:
        report = parse_report(text)
    except NotAWorkReport:
        return
    for m in report.metrics:
        assert m.quote == text[m.start : m.start + len(m.quote)]
        assert m.item is None or 0 <= m.item < len(report.items)
    for i in report.items:
        assert i.title == text[i.start : i.start + len(i.title)]


@SETTINGS
@given(any_text)
def test_parse_never_crashes_and_quotes_are_verbatim(text):
    check_report(text)


@SETTINGS
@given(any_text)
def test_quantities_are_spans_of_the_text(text):
    for q in find_quantities(text):
        assert 0 <= q.start < q.end <= len(text)
        assert q.redacted == (q.value is None)


@SETTINGS
@given(genre_text)
def test_a_real_report_with_noise_keeps_verbatim_quotes(noise):
    text = "2022年工作回顾\n一、履职\n开展协商。召开常委会3次,收到提案***件。\n2023年工作安排\n" + noise
    check_report(text)
