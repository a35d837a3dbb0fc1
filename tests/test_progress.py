"""The lights and completion rules of README.md, with a fixed "today"."""

from datetime import date

import pytest

from tracker import progress as p
from tracker.model import Light, Status

Y = 2023


def test_elapsed_share_is_the_calendar_share_of_the_period():
    start, due = date(Y, 1, 1), date(Y, 12, 31)
    assert p.elapsed_share(date(2022, 12, 1), start, due) == 0.0
    assert p.elapsed_share(date(Y, 12, 31), start, due) == 1.0
    assert p.elapsed_share(date(Y, 7, 1), start, due) == 181 / 364


def test_effective_status_is_overdue_only_past_due_and_not_done():
    assert p.effective_status("推进中", "2023-06-30", date(Y, 7, 1)) == Status.OVERDUE
    assert p.effective_status("推进中", "2023-06-30", date(Y, 6, 30)) == "推进中"
    assert p.effective_status("已完成", "2023-06-30", date(Y, 7, 1)) == "已完成"


@pytest.mark.parametrize(
    ("status", "due", "today", "light"),
    [
        ("已完成", "2023-12-31", date(Y, 3, 1), Light.DONE),
        ("推进中", "2023-06-30", date(Y, 7, 1), Light.RED),  # overdue
        ("受阻", "2023-12-31", date(Y, 2, 1), Light.RED),
        ("未开始", "2023-12-31", date(Y, 2, 1), Light.GREEN),  # 8 % of the year
        ("未开始", "2023-12-31", date(Y, 4, 15), Light.YELLOW),  # 28 %
        ("未开始", "2023-12-31", date(Y, 7, 15), Light.RED),  # 53 %
        ("推进中", "2023-12-31", date(Y, 7, 15), Light.GREEN),
        ("推进中", "2023-12-31", date(Y, 12, 10), Light.YELLOW),  # within 30 days of the deadline
    ],
)
def test_item_light(status, due, today, light):
    assert light == p.item_light(status, due, today, Y)


def test_item_light_with_a_goal_follows_the_goal_against_the_pace():
    # 1 July: about 50 % of the year gone
    today = date(Y, 7, 1)
    assert p.item_light("推进中", "2023-12-31", today, Y, [0.5]) == Light.GREEN
    assert p.item_light("推进中", "2023-12-31", today, Y, [0.4]) == Light.YELLOW
    assert p.item_light("推进中", "2023-12-31", today, Y, [0.3]) == Light.RED


@pytest.mark.parametrize(
    ("progress", "target", "bound", "today", "light"),
    [
        (0, 10, None, date(Y, 1, 1), Light.GREEN),
        (5, 10, None, date(Y, 7, 1), Light.GREEN),  # 50 % done, 49.7 % expected
        (4, 10, None, date(Y, 7, 1), Light.YELLOW),  # 10 points behind
        (3, 10, None, date(Y, 7, 1), Light.RED),  # 20 points behind
        (10, 10, None, date(Y, 3, 1), Light.DONE),
        (12, 10, "min", date(Y, 3, 1), Light.DONE),  # a 以上 goal may exceed its target
        (9, 10, None, date(Y, 12, 31), Light.RED),  # the year is over and the goal is not met
        (3, 10, "max", date(Y, 7, 1), Light.GREEN),  # a ceiling, used slower than the calendar
        (7, 10, "max", date(Y, 7, 1), Light.YELLOW),  # used faster than the calendar
        (11, 10, "max", date(Y, 7, 1), Light.RED),  # ceiling passed
        (9, 10, "max", date(Y, 12, 31), Light.DONE),  # year over, ceiling kept
    ],
)
def test_goal_light(progress, target, bound, today, light):
    assert light == p.goal_light(progress, target, bound, today, date(Y, 1, 1), date(Y, 12, 31))


def test_goal_met_is_aware_of_bounds():
    assert p.goal_met(10, 10) and p.goal_met(12, 10, "min")
    assert not p.goal_met(9, 10)
    assert not p.goal_met(5, 10, "max") and p.goal_met(5, 10, "max", final=True)
    assert not p.goal_met(11, 10, "max", final=True)


def _items():
    return [
        {
            "id": "a",
            "section": 1,
            "section_title": "一",
            "title": "A",
            "status": "已完成",
            "due": "2023-12-31",
        },
        {
            "id": "b",
            "section": 1,
            "section_title": "一",
            "title": "B",
            "status": "推进中",
            "due": "2023-12-31",
        },
        {
            "id": "c",
            "section": 2,
            "section_title": "二",
            "title": "C",
            "status": "未开始",
            "due": "2023-06-30",
        },
        {
            "id": "d",
            "section": 2,
            "section_title": "二",
            "title": "D",
            "status": "未开始",
            "due": "2023-12-31",
        },
    ]


def test_completion_counts_done_on_track_behind_overdue():
    frame = p.items_frame(_items(), [], date(Y, 8, 1), Y)
    assert frame["light"].tolist() == ["done", "green", "red", "red"]
    assert p.completion(frame) == {
        "total": 4,
        "done": 1,
        "share": 0.25,
        "on_track": 1,
        "behind": 1,
        "overdue": 1,
    }


def test_completion_by_section():
    frame = p.items_frame(_items(), [], date(Y, 8, 1), Y)
    by = p.completion_by_section(frame)
    assert by["section"].tolist() == [1, 2]
    assert by["total"].tolist() == [2, 2]
    assert by["done"].tolist() == [1, 0]
    assert by["share"].tolist() == [0.5, 0.0]


def test_goals_frame_and_items_frame_share_the_goal():
    goals = [
        {
            "id": "g",
            "item_id": "b",
            "activity": "建设委员工作室",
            "quote": "q",
            "unit": "家",
            "value": 10,
            "bound": None,
            "progress": 3.0,
            "verified": 0.0,
        }
    ]
    items = {it["id"]: it for it in _items()}
    frame = p.goals_frame(goals, items, date(Y, 7, 1), Y)
    row = frame.iloc[0]
    assert (row["share"], row["light"]) == (0.3, Light.RED)
    assert row["due"] == "2023-12-31"
    assert p.items_frame(_items(), goals, date(Y, 7, 1), Y).set_index("id").at["b", "goal_share"] == 0.3


def test_year_on_year_keeps_redacted_counts_unknown_and_paces_the_known_ones():
    review = [
        {
            "id": "m1",
            "activity": "专题协商",
            "quote": "专题协商7次",
            "unit": "次",
            "value": 7,
            "redacted": 0,
            "filled_value": None,
        },
        {
            "id": "m2",
            "activity": "提案",
            "quote": "提案***件",
            "unit": "件",
            "value": None,
            "redacted": 1,
            "filled_value": None,
        },
        {
            "id": "m3",
            "activity": "立案",
            "quote": "立案***件",
            "unit": "件",
            "value": None,
            "redacted": 1,
            "filled_value": 40.0,
        },
    ]
    frame = p.year_on_year(review, {"m1": 2.0}, date(Y, 12, 31), Y)
    assert [None if v != v else v for v in frame["last_year"].tolist()] == [7, None, 40.0]
    assert frame["last_year_known"].tolist() == [True, False, True]
    assert frame["this_year"].tolist() == [2.0, 0.0, 0.0]
    assert frame["pace"].iloc[0] == 7


def test_fmt_number():
    assert (p.fmt_number(3.0), p.fmt_number(2.5), p.fmt_number(None)) == ("3", "2.5", "—")
