"""The lights and completion rules of README.md, with a fixed "today"."""

import json
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
        ("已完成", "2023-06-30", date(Y, 7, 1), Light.DONE),  # done late is still done
        ("推进中", "2023-06-30", date(Y, 7, 1), Light.OVERDUE),  # past due, not done (was red)
        ("受阻", "2023-06-30", date(Y, 7, 1), Light.OVERDUE),
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


def test_item_light_with_goals_is_the_worst_unfinished_goal():
    today = date(Y, 7, 1)
    assert Light.GREEN == p.item_light("推进中", "2023-12-31", today, Y, ["green", "done"])
    assert Light.YELLOW == p.item_light("推进中", "2023-12-31", today, Y, ["green", "yellow"])
    assert Light.RED == p.item_light("未开始", "2023-12-31", today, Y, ["yellow", "red", "done"])
    # a goal's 已超期 (its own deadline passed) is 滞后 for a commitment not itself past due
    assert Light.RED == p.item_light("推进中", "2023-12-31", today, Y, ["overdue"])
    # all goals met: 正常 (staff are offered 已完成), 关注 near the deadline like any 正常
    assert Light.GREEN == p.item_light("推进中", "2023-12-31", today, Y, ["done", "done"])
    assert Light.YELLOW == p.item_light("推进中", "2023-12-31", date(Y, 12, 10), Y, ["done"])
    # the commitment's own status and deadline come first
    assert Light.OVERDUE == p.item_light("推进中", "2023-06-30", today, Y, ["done"])
    assert Light.RED == p.item_light("受阻", "2023-12-31", today, Y, ["green"])


def _goal(target=10, bound=None, goal_type="accumulate", unit="家", activity="建设委员工作室"):
    return {
        "id": "g",
        "item_id": "b",
        "activity": activity,
        "quote": "q",
        "unit": unit,
        "value": target,
        "bound": bound,
        "approx": 0,
        "goal_type": goal_type,
        "progress": 0.0,
        "verified": 0.0,
    }


def _goal_at(goal: dict, entries: list[tuple[str, float]], today: date):
    snap = p.Snapshot(progress={"g": entries})
    return p.goals_frame([goal], {}, today, Y, snap).iloc[0]


CEILING = (3, "max", "ceiling", "%", "赤字率")
LEVEL = (5, None, "level", "%", "地区生产总值增长")


@pytest.mark.parametrize(
    ("goal", "entries", "today", "light"),
    [
        (_goal(), [], date(Y, 1, 1), Light.GREEN),
        (_goal(), [("2023-03-01", 5)], date(Y, 7, 1), Light.GREEN),  # 50 % done, 49.7 % expected
        (_goal(), [("2023-03-01", 4)], date(Y, 7, 1), Light.YELLOW),  # 10 points behind
        (_goal(), [("2023-03-01", 3)], date(Y, 7, 1), Light.RED),  # 20 points behind
        (_goal(), [("2023-03-01", 10)], date(Y, 3, 1), Light.DONE),
        (_goal(bound="min"), [("2023-03-01", 12)], date(Y, 3, 1), Light.DONE),  # may exceed its target
        (_goal(), [("2023-03-01", 9)], date(Y, 12, 31), Light.OVERDUE),  # the year is over, not met
        # a ceiling is a current value that must stay under the target
        (_goal(*CEILING), [("2023-05-01", 2)], date(Y, 7, 1), Light.GREEN),
        (_goal(*CEILING), [("2023-05-01", 2.9)], date(Y, 7, 1), Light.YELLOW),
        (_goal(*CEILING), [("2023-05-01", 3.2)], date(Y, 7, 1), Light.RED),
        (_goal(*CEILING), [("2023-05-01", 2.9)], date(Y, 12, 31), Light.DONE),
        # a level: the latest value against the target
        (_goal(*LEVEL), [("2023-04-01", 5.1)], date(Y, 7, 1), Light.GREEN),
        (_goal(*LEVEL), [("2023-04-01", 4.5)], date(Y, 7, 1), Light.YELLOW),
    ],
)
def test_goal_lights_follow_the_type(goal, entries, today, light):
    assert light == _goal_at(goal, entries, today)["light"]


def test_a_level_goal_shows_its_latest_value_not_the_sum():
    row = _goal_at(_goal(*LEVEL), [("2023-03-01", 2.0), ("2023-06-01", 3.0)], date(Y, 7, 1))
    assert (3.0, 0.6) == (row["progress"], row["share"])
    assert 5.0 == _goal_at(_goal(), [("2023-03-01", 2.0), ("2023-06-01", 3.0)], date(Y, 7, 1))["progress"]


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


def test_completion_counts_the_five_lights_once():
    frame = p.items_frame(_items(), None, date(Y, 8, 1), Y)
    assert ["done", "green", "overdue", "red"] == frame["light"].tolist()
    assert {
        "total": 4,
        "done": 1,
        "share": 0.25,
        "lights": {Light.DONE: 1, Light.GREEN: 1, Light.YELLOW: 0, Light.RED: 1, Light.OVERDUE: 1},
    } == p.completion(frame)
    assert {"已完成": 1, "正常": 1, "关注": 0, "滞后": 1, "已超期": 1} == p.labelled(p.light_counts(frame))


def test_completion_by_section():
    frame = p.items_frame(_items(), None, date(Y, 8, 1), Y)
    by = p.completion_by_section(frame)
    assert by["section"].tolist() == [1, 2]
    assert by["total"].tolist() == [2, 2]
    assert by["done"].tolist() == [1, 0]
    assert by["share"].tolist() == [0.5, 0.0]


def test_goals_frame_and_items_frame_share_the_goal():
    items = {it["id"]: it for it in _items()}
    snap = p.Snapshot(status={"a": "已完成", "b": "推进中"}, progress={"g": [("2023-03-01", 3.0)]})
    goals = p.goals_frame([_goal()], items, date(Y, 7, 1), Y, snap)
    row = goals.iloc[0]
    assert (0.3, Light.RED, "2023-12-31") == (row["share"], row["light"], row["due"])
    frame = p.items_frame(_items(), goals, date(Y, 7, 1), Y, snap).set_index("id")
    assert (0.3, Light.RED, "推进中") == (
        frame.at["b", "goal_share"],
        frame.at["b", "light"],
        frame.at["b", "status"],
    )
    assert "未开始" == frame.at["d", "status"]  # the snapshot has no status event for it


def _event(i, action, target, day, after=None, amount=None, undoes=None):
    return {
        "id": i,
        "action": action,
        "target_id": target,
        "after": None if after is None else json.dumps(after, ensure_ascii=False),
        "amount": amount,
        "date": day,
        "at": f"{day}T01:00:00.000000Z",
        "undoes": undoes,
        "user": "u",
    }


def test_snapshot_keeps_only_what_was_effective_at_the_date():
    log = [
        _event(1, "status", "a", "2023-09-01", "已完成"),  # a tick dated 1 September
        _event(2, "progress", "g", "2023-05-01", amount=2.0),
        _event(3, "progress", "g", "2023-11-01", amount=3.0),  # progress dated 1 November
        _event(4, "activity", "m", "2023-03-01", amount=1.0),
        _event(5, "activity", "m", "2023-12-31", amount=4.0),
        _event(6, "status", "b", "2023-04-01", "推进中"),
        _event(7, "status", "b", "2023-03-01", "受阻"),  # recorded later, effective earlier
        _event(8, "progress", "g", "2023-06-01", amount=5.0),
        _event(9, "progress", "g", "2023-06-01", amount=-5.0, undoes=8),  # undone: neither counts
    ]
    june = p.snapshot(log, date(Y, 6, 30), Y)
    assert ({"b": "推进中"}, {}) == (june.status, june.done_on)
    assert ({"g": [("2023-05-01", 2.0)]}, {"m": 1.0}) == (june.progress, june.activity)
    december = p.snapshot(log, date(Y, 12, 31), Y)
    assert ({"a": "已完成", "b": "推进中"}, {"a": "2023-09-01"}) == (december.status, december.done_on)
    assert ([2.0, 3.0], {"m": 5.0}) == ([v for _, v in december.progress["g"]], december.activity)
    assert "受阻" == p.snapshot(log, date(Y, 3, 15), Y).status["b"]


def test_compare_says_what_moved_and_what_slipped():
    items = {it["id"]: it for it in _items()}
    before_snap = p.Snapshot(status={"b": "推进中"}, progress={"g": [("2023-03-01", 3.0)]})
    after_snap = p.Snapshot(status={"b": "推进中", "a": "已完成"}, progress={"g": [("2023-03-01", 3.0)]})
    frames = []
    for day, snap in ((date(Y, 3, 31), before_snap), (date(Y, 6, 30), after_snap)):
        goals = p.goals_frame([_goal()], items, day, Y, snap)
        frames.append((p.items_frame(_items(), goals, day, Y, snap), goals))
    diff = p.compare(*frames)
    assert [("A", "未开始", "已完成")] == list(diff["moved"].itertuples(index=False, name=None))
    assert [] == diff["goals"].values.tolist()  # 3 家 at both dates
    # B's goal fell behind the calendar; C (due 30 June) not started at its deadline; D a quarter gone
    assert [("B", "正常", "滞后"), ("C", "关注", "滞后"), ("D", "正常", "关注")] == list(
        diff["slipped"].itertuples(index=False, name=None)
    )


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
