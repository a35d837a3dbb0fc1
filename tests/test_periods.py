"""Reporting periods, late marking, the missing list and the units × periods matrix (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest

from tracker import periods
from tracker.errors import InvalidInput
from tracker.periods import MONTH, QUARTER, Period, ReportState, is_late, period, report_state


@pytest.mark.parametrize(
    ("raw", "label", "kind", "start", "end"),
    [
        ("2023-06", "2023-06", MONTH, date(2023, 6, 1), date(2023, 6, 30)),
        ("2023-12", "2023-12", MONTH, date(2023, 12, 1), date(2023, 12, 31)),
        ("2024-02", "2024-02", MONTH, date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2023-02", "2023-02", MONTH, date(2023, 2, 1), date(2023, 2, 28)),
        (" 2023-06 ", "2023-06", MONTH, date(2023, 6, 1), date(2023, 6, 30)),
        # full-width, as a Chinese input method types it
        ("２０２３－０６", "2023-06", MONTH, date(2023, 6, 1), date(2023, 6, 30)),
        ("2023-Q2", "2023-Q2", QUARTER, date(2023, 4, 1), date(2023, 6, 30)),
        ("2023Q2", "2023-Q2", QUARTER, date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-q2", "2023-Q2", QUARTER, date(2023, 4, 1), date(2023, 6, 30)),
        ("2023q1", "2023-Q1", QUARTER, date(2023, 1, 1), date(2023, 3, 31)),
        ("2023-Q3", "2023-Q3", QUARTER, date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-Q4", "2023-Q4", QUARTER, date(2023, 10, 1), date(2023, 12, 31)),
    ],
)
def test_labels_are_normalised_with_their_first_and_last_day(raw, label, kind, start, end):
    p = period(raw)
    assert (label, kind, start, end) == (p.label, p.kind, p.start, p.end)
    assert label == periods.normalise_label(raw)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2023-13", "月份应为 01–12"),
        ("2023-00", "月份应为 01–12"),
        ("2023-Q0", "季度应为 Q1–Q4"),
        ("2023-Q5", "季度应为 Q1–Q4"),
        ("2023Q9", "季度应为 Q1–Q4"),
        ("1899-06", "年份应在 1900–2100 之间"),
        ("9999-12", "年份应在 1900–2100 之间"),
        ("2023-6", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("202306", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("2023/06", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("2023-06-01", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("2023年6月", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("2023-H1", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("2023-Q12", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("Q2-2023", "请写成 2023-06（月度）或 2023-Q2（季度）"),
        ("", "请写成 2023-06（月度）或 2023-Q2（季度）"),
    ],
)
def test_anything_else_is_refused_with_a_chinese_reason(raw, reason):
    with pytest.raises(InvalidInput) as e:
        period(raw)
    assert f"“{raw}”不是有效的报告期：{reason}" == str(e.value)


def test_due_defaults_to_five_days_after_the_end():
    # the issue's example: cycle open 2023-06 --due 2023-07-05
    assert date(2023, 7, 5) == period("2023-06").due
    assert date(2023, 7, 5) == period("2023-Q2").due
    assert date(2024, 1, 5) == period("2023-12").due
    assert date(2024, 1, 5) == period("2023-Q4").due
    assert date(2023, 3, 5) == period("2023-02").due
    assert 5 == periods.DUE_AFTER_DAYS


def test_a_given_due_date_wins_and_is_checked():
    assert date(2023, 7, 10) == period("2023-06", "2023-07-10").due
    assert date(2023, 6, 25) == period("2023-06", date(2023, 6, 25)).due  # due before the month ends
    with pytest.raises(InvalidInput, match="“2023-7-40”不是有效日期，请用 YYYY-MM-DD 格式"):
        period("2023-06", "2023-7-40")
    with pytest.raises(InvalidInput, match="报送截止日期 2023-05-31 早于报告期 2023-06 的开始（2023-06-01）"):
        period("2023-06", "2023-05-31")


def test_chinese_names_of_periods():
    assert "2023年6月" == period("2023-06").name
    assert "2023年12月" == period("2023-12").name
    assert "2023年第二季度" == period("2023-Q2").name
    assert "2023年第四季度" == period("2023q4").name


def test_as_period_accepts_a_store_row_a_label_or_a_period():
    p = period("2023-06", "2023-07-10")
    assert p == periods.as_period({"label": "2023-06", "due": "2023-07-10"})
    assert p is periods.as_period(p)
    assert period("2023-Q2") == periods.as_period("2023q2")
    assert period("2023-Q2") == periods.as_period({"label": "2023-Q2", "due": None})


def test_containing():
    assert "2023-06" == periods.containing(date(2023, 6, 30)).label
    assert "2023-Q3" == periods.containing(date(2023, 7, 1), QUARTER).label
    assert "2023-Q4" == periods.containing(date(2023, 12, 31), QUARTER).label
    assert periods.containing(date(2023, 6, 15)).contains(date(2023, 6, 1))
    assert not periods.containing(date(2023, 6, 15)).contains(date(2023, 7, 1))


def test_late_is_after_the_due_day():
    p = period("2023-06")  # due 2023-07-05
    assert not is_late(p, date(2023, 7, 5))
    assert not is_late(p, date(2023, 6, 20))
    assert not is_late(p, date(2023, 5, 1))  # filed early is not late
    assert is_late(p, date(2023, 7, 6))
    assert is_late(p, "2023-07-06")
    assert is_late(p, "2023-07-06T00:10:00")
    assert not is_late(p, datetime(2023, 7, 5, 23, 59))


def test_report_state_first_filing_decides():
    p = period("2023-06")
    assert ReportState.MISSING == report_state(p, [])
    assert ReportState.MISSING == report_state(p, [None])
    assert ReportState.ON_TIME == report_state(p, ["2023-07-05"])
    assert ReportState.LATE == report_state(p, ["2023-07-06"])
    assert ReportState.ON_TIME == report_state(p, ["2023-07-20", "2023-07-01"])  # a later correction
    assert ["按时", "逾期", "未报"] == [s.label for s in ReportState]
    assert ReportState.LATE is ReportState.from_label("逾期")
    assert "#c62828" == ReportState.MISSING.colour
    with pytest.raises(ValueError):
        ReportState.from_label("已完成")


def test_sort_periods_by_end_then_start_and_once_each():
    ps = [period("2023-Q2"), period("2023-06"), period("2023-04"), period("2023-q2"), period("2022-12")]
    assert ["2022-12", "2023-04", "2023-Q2", "2023-06"] == [p.label for p in periods.sort_periods(ps)]


ITEMS = [
    {"id": "i1", "title": "建设委员工作室10家", "lead": "市发改委", "co": ["市财政局"], "done_on": None},
    {"id": "i2", "title": "开展专题调研", "lead": "市财政局", "co": [], "done_on": None},
    {"id": "i3", "title": "完善履职档案", "lead": "市发改委", "co": [], "done_on": "2023-05-20T08:00:00Z"},
    # no lead: no one owes a report
    {"id": "i4", "title": "举办读书活动", "lead": "", "co": ["市民政局"], "done_on": None},
    {"id": "i5", "title": "推进协商议政", "lead": "市发改委", "co": [], "done_on": "2023-06-10"},
    {"id": "i6", "title": "加强宣传", "lead": "市文旅局", "co": [], "done_on": None},
]
UNITS = [
    {"name": "市发改委", "email": "fgw@example.gov.cn", "active": 1},
    {"name": "市财政局", "email": "", "active": 1},
    {"name": "市文旅局", "email": "wl@example.gov.cn", "active": 0},
]
REPORTS = [
    {"unit": "市发改委", "item": "i1", "period": "2023-06", "filed": "2023-07-03"},
    {"unit": "市财政局", "item": "i2", "period": "2023-06", "filed": "2023-07-09"},
    # a co-unit's report: settles nothing
    {"unit": "市财政局", "item": "i1", "period": "2023-07", "filed": "2023-08-01"},
    {"unit": "市发改委", "item": "i1", "period": "2023q2", "filed": "2023-07-01"},
]


def test_missing_list_in_the_issue_shape():
    got = periods.missing(ITEMS, REPORTS, "2023-06", UNITS)
    # i3 was done before June: owes nothing; i5 was done during June: still owes its report;
    # 市文旅局 is disabled; i4 has no lead
    assert [{"unit": "市发改委", "email": "fgw@example.gov.cn", "items": ["i5"]}] == got
    assert '[{"unit": "市发改委", "email": "fgw@example.gov.cn", "items": ["i5"]}]' == json.dumps(
        got, ensure_ascii=False
    )


def test_missing_list_counts_only_the_lead_and_sorts_by_unit():
    got = periods.missing(ITEMS, REPORTS, period("2023-07"))
    # no units given: no e-mails, nobody disabled; 市财政局's report on i1 is a co-unit's;
    # i5 was done in June: nothing owed for July
    assert [
        {"unit": "市发改委", "email": None, "items": ["i1"]},
        {"unit": "市文旅局", "email": None, "items": ["i6"]},
        {"unit": "市财政局", "email": None, "items": ["i2"]},
    ] == got
    assert sorted(r["unit"] for r in got) == [r["unit"] for r in got]


def test_missing_list_empty_when_everyone_reported():
    reports = [
        {"unit": it["lead"], "item": it["id"], "period": "2023-Q2", "filed": "2023-08-30"} for it in ITEMS
    ]
    assert [] == periods.missing(ITEMS, reports, "2023-Q2", UNITS)  # late reports are reports


def test_report_states_long_form():
    rows = periods.report_states(ITEMS, REPORTS, ["2023-06"])
    assert [
        {
            "period": "2023-06",
            "unit": "市发改委",
            "item": "i1",
            "state": ReportState.ON_TIME,
            "filed": "2023-07-03",
        },
        {"period": "2023-06", "unit": "市发改委", "item": "i5", "state": ReportState.MISSING, "filed": None},
        {"period": "2023-06", "unit": "市文旅局", "item": "i6", "state": ReportState.MISSING, "filed": None},
        {
            "period": "2023-06",
            "unit": "市财政局",
            "item": "i2",
            "state": ReportState.LATE,
            "filed": "2023-07-09",
        },
    ] == rows


def test_matrix_of_units_by_periods_shows_the_worst_state():
    got = periods.matrix(ITEMS, REPORTS, [{"label": "2023-07", "due": None}, "2023-06", "2023-Q2"])
    assert [
        {"unit": "市发改委", "2023-06": "未报", "2023-Q2": "未报", "2023-07": "未报"},
        {"unit": "市文旅局", "2023-06": "未报", "2023-Q2": "未报", "2023-07": "未报"},
        {"unit": "市财政局", "2023-06": "逾期", "2023-Q2": "未报", "2023-07": "未报"},
    ] == got


def test_matrix_cells_on_time_late_and_owing_nothing():
    items = [
        {"id": "a", "lead": "市发改委", "done_on": None},
        {"id": "b", "lead": "市财政局", "done_on": "2023-06-15"},
    ]
    reports = [
        {"unit": "市发改委", "item": "a", "period": "2023-05", "filed": "2023-06-05"},
        {"unit": "市发改委", "item": "a", "period": "2023-06", "filed": "2023-07-06"},
        {"unit": "市财政局", "item": "b", "period": "2023-06", "filed": "2023-07-01"},
    ]
    got = periods.matrix(items, reports, ["2023-05", "2023-06", "2023-07"])
    # 市财政局's commitment was done in June: nothing owed in July, the cell is empty
    assert [
        {"unit": "市发改委", "2023-05": "按时", "2023-06": "逾期", "2023-07": "未报"},
        {"unit": "市财政局", "2023-05": "未报", "2023-06": "按时", "2023-07": None},
    ] == got
    # a due date moved by the admin re-marks the June report
    moved = periods.matrix(items, reports, ["2023-05", {"label": "2023-06", "due": "2023-07-10"}])
    assert "按时" == moved[0]["2023-06"]


def test_matrix_is_empty_without_led_commitments():
    assert [] == periods.matrix([{"id": "x", "lead": "", "done_on": None}], [], ["2023-06"])
    assert [] == periods.matrix(ITEMS, REPORTS, [])


def test_period_is_frozen_plain_data():
    p = period("2023-06")
    assert Period("2023-06", MONTH, date(2023, 6, 1), date(2023, 6, 30), date(2023, 7, 5)) == p
    with pytest.raises(AttributeError):
        p.due = date(2023, 8, 1)


@pytest.mark.parametrize("module", ["tracker.periods", "tracker.evidence", "tracker.remind"])
def test_supervision_modules_stay_pure(module):
    # the pure half of issue 16: no database, no UI, no pandas (the wiring round adds those around them)
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] in {{'sqlite3', 'sqlite_utils', 'streamlit', 'pandas'}}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == out.stdout.strip()
