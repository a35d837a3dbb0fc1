"""The import review fixes what the extractor got wrong (issue 12): 不是任务 / 不是指标, a number's value,
unit, bound, kind and goal type edited; each correction stored and re-applied on re-import."""

from __future__ import annotations

import pytest

from tracker import goal_types, intake, store
from tracker.errors import InvalidInput

from .conftest import SAMPLE

ITEM = 19  # 畅通民意沟通渠道 (plan), which carries the goal 委员工作室10家
GOAL = 27  # 年内建设委员工作室10家
TRAINING = 28  # 全年组织2次全员集中培训
COUNT = 3  # 全年开展集中学习、主题党日等活动39次 (review)
LAST = 24  # 加强宣传阵地建设


@pytest.fixture
def draft(sample_report) -> intake.Draft:
    return intake.Draft(sample_report, SAMPLE.name)


def test_an_item_that_is_no_task_is_deleted_and_its_numbers_stay_unattached(draft):
    fixed = intake.corrected(intake.drop_item(draft, ITEM))
    assert len(draft.raw.items) - 1 == len(fixed.report.items)
    assert "畅通民意沟通渠道" not in [it.title for it in fixed.report.items]
    goal = fixed.report.metrics[GOAL]
    assert ("建设委员工作室", None) == (goal.activity, goal.item)
    assert [ITEM] == fixed.dropped_items
    # items after it keep their numbers: 全员集中培训 belonged to item 22, now item 21
    assert ("完善委员服务管理", 21) == (
        fixed.report.items[21].title,
        fixed.report.metrics[TRAINING].item,
    )
    assert "删除条目（不是任务）：畅通民意沟通渠道" == intake.describe(intake.drop_item(draft, ITEM).ops[-1])
    with pytest.raises(InvalidInput, match="没有这个条目"):
        intake.drop_item(draft, 99)


def test_a_number_is_edited_field_by_field(draft):
    edited = intake.edit_metric(draft, GOAL, value="12", unit="个", bound="min", kind="target", type="level")
    op = edited.ops[-1]
    # kind was already target: only what differs is kept
    assert {"op": "edit_metric", "metric": "plan:年内建设委员工作室10家", "value": 12.0, "unit": "个"} | {
        "bound": "min",
        "type": "level",
    } == op
    goal = intake.corrected(edited).report.metrics[GOAL]
    assert (12.0, "个", "min", "target", "level", False) == (
        goal.value,
        goal.unit,
        goal.bound,
        goal.kind,
        goal.type,
        goal.redacted,
    )
    assert "修改数字“年内建设委员工作室10家”：数值 12，单位 个，界限 以上，目标类型 水平" == intake.describe(
        op
    )


def test_a_hidden_value_a_count_made_a_goal_and_a_bound_removed(draft):
    hidden = intake.corrected(intake.edit_metric(draft, COUNT, value="***", kind="target"))
    count = hidden.report.metrics[COUNT]
    assert (None, True, "target") == (count.value, count.redacted, count.kind)
    # a count made a goal gets the type the extractor would propose for it
    assert goal_types.classify("次", None, count.activity, count.quote, None) == count.type
    bounded = intake.edit_metric(draft, GOAL, bound="max")
    assert ("max", "ceiling") == (
        intake.corrected(bounded).report.metrics[GOAL].bound,
        intake.corrected(bounded).report.metrics[GOAL].type,
    )
    unbounded = intake.corrected(intake.edit_metric(bounded, GOAL, bound="")).report.metrics[GOAL]
    assert (None, "accumulate") == (unbounded.bound, unbounded.type)


def test_the_type_is_proposed_until_a_person_chooses_one(draft):
    fixed = intake.corrected(draft)
    assert ["accumulate", "accumulate"] == [m.type for m in fixed.report.metrics if m.kind == "target"]
    assert {None} == {m.type for m in fixed.report.metrics if m.kind == "count"}
    # a unit corrected to a rate re-proposes the type; a chosen type stays when the unit changes later
    rate = intake.edit_metric(draft, GOAL, unit="%")
    assert "level" == intake.corrected(rate).report.metrics[GOAL].type
    chosen = intake.edit_metric(intake.edit_metric(draft, GOAL, type="milestone"), GOAL, unit="座")
    assert ("座", "milestone") == (
        intake.corrected(chosen).report.metrics[GOAL].unit,
        intake.corrected(chosen).report.metrics[GOAL].type,
    )


def test_edits_that_cannot_be_are_refused_and_change_nothing(draft):
    for changes, message in (
        ({"unit": " "}, "请填写单位"),
        ({"unit": "个" * 21}, "单位不能超过"),
        ({"value": "十"}, "不是数字"),
        ({"value": "-3"}, "数量必须大于 0"),
        ({"type": "sum"}, "不是可选的值"),
        ({"kind": "goal"}, "不是可选的值"),
        ({"bound": "以上"}, "不是可选的值"),
        ({"value": "10", "unit": "家"}, "没有要修改的内容"),
        ({"quote": "x"}, "不能修改"),
    ):
        with pytest.raises(InvalidInput, match=message):
            intake.edit_metric(draft, GOAL, **changes)
    with pytest.raises(InvalidInput, match="没有这个数字"):
        intake.edit_metric(draft, 99, unit="个")
    assert [] == draft.ops


def test_a_metric_dropped_as_not_a_goal_is_described(draft):
    dropped = intake.drop_metric(draft, TRAINING)
    assert "删除数字：“全年组织2次全员集中培训”" == intake.describe(dropped.ops[-1])
    assert "全员集中培训" not in [m.activity for m in intake.corrected(dropped).report.metrics]


def test_every_correction_is_kept_and_re_applied_on_re_import(db, users):
    """Delete an item and a number, edit value/unit/bound/kind/type, confirm; a corrected file imported
    later gets all of them back, and the rows say so."""
    admin = users["admin"]
    draft = intake.start(db, SAMPLE.read_bytes(), SAMPLE.name)
    draft = intake.drop_item(draft, LAST)
    draft = intake.drop_metric(draft, TRAINING)
    draft = intake.edit_metric(draft, GOAL, value="12", unit="个", bound="min", type="level")
    draft = intake.edit_metric(draft, COUNT, value="40", kind="target")
    first = intake.confirm(db, draft, admin)
    rid = first["report_id"]
    assert 4 == first["corrections"]
    dropped_id = store.document_ids(rid, draft.raw)[0][LAST]

    def state():
        items = {r["id"]: r for r in db.query("SELECT * FROM items WHERE report_id = ?", [rid])}
        metrics = {r["quote"]: r for r in db.query("SELECT * FROM metrics WHERE report_id = ?", [rid])}
        return items, metrics

    def check(items, metrics):
        assert 1 == items[dropped_id]["missing"]
        assert 1 == metrics["全年组织2次全员集中培训"]["missing"]
        goal = metrics["年内建设委员工作室10家"]
        assert (12.0, "个", "min", "target", 0) == (
            goal["value"],
            goal["unit"],
            goal["bound"],
            goal["kind"],
            goal["missing"],
        )
        count = metrics["全年开展集中学习、主题党日等活动39次"]
        assert (40.0, "target") == (count["value"], count["kind"])

    check(*state())
    # a deleted item is no merge: no 导入时合并 event for it
    assert [] == list(
        db.query("SELECT id FROM events WHERE target_id = ? AND action = 'merged'", [dropped_id])
    )

    changed = SAMPLE.read_text("utf-8").replace("凸显全过程人民民主", "彰显全过程人民民主")
    again = intake.start(db, changed.encode("utf-8"), "报告（修订）.txt")
    assert 4 == again.saved
    fixed = intake.corrected(again)
    assert [] == fixed.skipped
    assert "加强宣传阵地建设" not in [it.title for it in fixed.report.items]
    assert "level" == next(m for m in fixed.report.metrics if m.quote == "年内建设委员工作室10家").type
    second = intake.confirm(db, again, admin)
    assert (rid, 0) == (second["report_id"], second["corrections"])
    items, metrics = state()
    check(items, metrics)
    assert "彰显全过程人民民主" in "".join(r["text"] for r in items.values())


def test_organisation_and_both_years_are_required_when_the_review_confirms(db, users, sample_report):
    from dataclasses import replace

    bare = intake.Draft(replace(sample_report, org="", review_year=None), "a.txt")
    assert ["单位", "回顾年度"] == intake.missing_meta(intake.corrected(bare).report)
    assert ["回顾年度"] == intake.missing_meta(intake.corrected(bare).report, org="某市政协")
    with pytest.raises(InvalidInput, match="请先填写单位、回顾年度，再确认导入"):
        intake.confirm(db, bare, users["admin"], require_meta=True)
    assert (0, 0) == (db["reports"].count, db["items"].count)
    fixed = intake.set_meta(bare, org="某市政协", review_year=2022)
    assert (
        "某市政协"
        == store.get_report(db, intake.confirm(db, fixed, users["admin"], require_meta=True)["report_id"])[
            "org"
        ]
    )
