"""Goal types proposed from the wording of a plan figure (issue 12)."""

import pytest

from tracker import goal_types
from tracker.extract import extract_path
from tracker.goal_types import ACCUMULATE, CEILING, LEVEL, MILESTONE, classify

from .conftest import CORPUS, SAMPLE


@pytest.mark.parametrize(
    ("expected", "unit", "bound", "activity", "quote", "value"),
    [
        (ACCUMULATE, "家", None, "建设委员工作室", "年内建设委员工作室10家", 10),
        (ACCUMULATE, "次", None, "全员集中培训", "全年组织2次全员集中培训", 2),
        (ACCUMULATE, "万人", "min", "城镇新增就业", "城镇新增就业900万人以上", 900),
        (ACCUMULATE, "万人次", "min", "职业技能培训", "今明两年职业技能培训3500万人次以上", 3500),
        (ACCUMULATE, "亿元", None, "计划投资", "年内计划投资3.9亿元", 3.9),
        (LEVEL, "%", None, "国内生产总值增长", "国内生产总值增长5%左右", 5),
        (LEVEL, "%", None, "城镇调查失业率", "城镇调查失业率6%左右", 6),
        (LEVEL, "万亿斤", "min", "粮食产量", "粮食产量保持在1.3万亿斤以上", 1.3),
        (LEVEL, "亿元", None, "旅游收入", "旅游收入达到46亿元", 46),
        (LEVEL, "元", None, "补贴标准", "护理补贴标准从每人每月270元提高到280元", 280),
        (CEILING, "%", "max", "赤字率", "赤字率3%以内", 3),
        (CEILING, "亿元", None, "政府债务", "政府债务余额控制在120亿元", 120),
        (MILESTONE, "个", None, "市民广场", "年内建成1个市民广场", 1),
        (ACCUMULATE, "万亩", None, "节水灌溉", "实施1万亩节水灌溉、7000平方米标准化奶牛养殖", 1),
        (ACCUMULATE, "万名", "min", "高校毕业生", "吸引超2万名高校毕业生到基层稳定就业", 2),
        (ACCUMULATE, "万亩", None, "林分优化提升", "今年再完成林分优化提升200万亩", 200),
    ],
)
def test_classify(expected, unit, bound, activity, quote, value):
    assert expected == classify(unit, bound, activity, quote, value)


def test_every_percent_goal_of_the_national_report_is_a_level_or_a_ceiling():
    path = CORPUS / "national_gov_2020.txt"
    if not path.exists():
        pytest.skip(f"shared corpus not found: {path}")
    report = extract_path(path)
    rates = [m for m in report.metrics if m.part == "plan" and goal_types.is_rate(m.unit)]
    assert rates
    for m in rates:
        assert classify(m.unit, m.bound, m.activity, m.quote, m.value) in (LEVEL, CEILING), m.quote


def test_the_sample_goals_accumulate():
    report = extract_path(SAMPLE)
    goals = [
        (m.unit, classify(m.unit, m.bound, m.activity, m.quote, m.value))
        for m in report.metrics
        if m.part == "plan"
    ]
    assert [("家", ACCUMULATE), ("次", ACCUMULATE)] == goals


def test_only_levels_and_ceilings_ask_for_the_current_value():
    assert [LEVEL, CEILING] == [t for t in goal_types.GOAL_TYPES if goal_types.asks_current_value(t)]


def test_a_level_goal_shows_its_latest_value_not_the_sum():
    entries = [("2023-03-31", 2.0), ("2023-06-30", 3.0)]
    assert 3.0 == goal_types.current_value(LEVEL, entries, "2023-12-31")
    assert 2.0 == goal_types.current_value(LEVEL, entries, "2023-04-30")
    assert goal_types.current_value(LEVEL, entries, "2023-01-31") is None
    assert 5.0 == goal_types.current_value(ACCUMULATE, entries, "2023-12-31")
    assert 2.0 == goal_types.current_value(ACCUMULATE, entries, "2023-04-30")


def test_the_latest_entry_of_a_day_wins_and_order_of_recording_breaks_ties():
    entries = [("2023-06-30", 4.0), ("2023-03-31", 9.0), ("2023-06-30", 4.5)]
    assert 4.5 == goal_types.current_value(CEILING, entries, "2023-07-01")


@pytest.mark.parametrize(
    ("expected_light", "goal_type", "target", "bound", "approx", "value", "pace", "lower"),
    [
        # accumulate: the share done against the share of the year elapsed
        ("done", ACCUMULATE, 10, None, False, 10, 0.5, False),
        ("green", ACCUMULATE, 10, None, False, 5, 0.5, False),
        ("yellow", ACCUMULATE, 10, None, False, 4, 0.5, False),
        ("red", ACCUMULATE, 10, None, False, 3, 0.5, False),
        ("overdue", ACCUMULATE, 10, None, False, 9, 1.0, False),
        # level: the latest value against the target, 左右 within 10 %
        ("green", LEVEL, 5, None, True, 4.6, 0.5, False),
        ("green", LEVEL, 5, None, True, 7.0, 0.5, False),  # growth above target is no miss
        ("yellow", LEVEL, 5, None, True, 4.0, 0.5, False),
        ("red", LEVEL, 5, None, True, 3.0, 0.5, False),
        ("red", LEVEL, 5.5, None, True, 7.0, 0.5, True),  # unemployment above target is
        ("done", LEVEL, 5, None, True, 4.8, 1.0, False),
        ("overdue", LEVEL, 1.3, "min", False, 1.2, 1.0, False),
        ("green", LEVEL, 1.3, "min", False, None, 0.1, False),
        ("yellow", LEVEL, 1.3, "min", False, None, 0.3, False),
        # ceiling: must stay at or under
        ("green", CEILING, 3, "max", False, 2.0, 0.5, False),
        ("yellow", CEILING, 3, "max", False, 2.9, 0.5, False),
        ("red", CEILING, 3, "max", False, 3.2, 0.5, False),
        ("done", CEILING, 3, "max", False, 2.9, 1.0, False),
        # milestone: done or not
        ("green", MILESTONE, 1, None, False, 0, 0.5, False),
        ("done", MILESTONE, 1, None, False, 1, 0.5, False),
        ("overdue", MILESTONE, 1, None, False, 0, 1.0, False),
    ],
)
def test_evaluate(expected_light, goal_type, target, bound, approx, value, pace, lower):
    state = goal_types.evaluate(goal_type, target, bound, approx, value, pace, 120, lower_better=lower)
    assert expected_light == state.light


def test_a_milestone_near_its_deadline_needs_attention():
    assert "yellow" == goal_types.evaluate(MILESTONE, 1, None, False, 0, 0.95, days_left=10).light


def test_lower_is_better_reads_the_activity():
    assert goal_types.lower_is_better("城镇调查失业率")
    assert goal_types.lower_is_better("居民消费价格涨幅")
    assert not goal_types.lower_is_better("国内生产总值增长")
