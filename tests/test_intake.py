"""The import review (issue 6): corrections on the draft, one-transaction confirm, and re-import that
keeps ticks and corrections (stable keys) and flags what changed or vanished."""

from __future__ import annotations

import pytest

from tracker import intake, store
from tracker.errors import InvalidInput, PermissionDenied
from tracker.model import Status

from .conftest import SAMPLE

ITEM = 19  # 畅通民意沟通渠道 (plan, section 3), which carries the goal 委员工作室10家
LAST = 24  # 加强宣传阵地建设: the closing words 各位委员… were read into it


@pytest.fixture
def draft(sample_report) -> intake.Draft:
    return intake.Draft(sample_report, SAMPLE.name)


def test_rename_changes_the_title_only(draft):
    fixed = intake.corrected(intake.rename_item(draft, ITEM, " 畅通民意  渠道 "))
    assert fixed.report.items[ITEM].title == "畅通民意 渠道"
    assert fixed.item_origin[ITEM] == ITEM
    assert draft.raw.items[ITEM].title == "畅通民意沟通渠道"  # the extraction is left as it was
    with pytest.raises(InvalidInput, match="标题不能为空"):
        intake.rename_item(draft, ITEM, "  ")


def test_merge_joins_adjacent_items_and_moves_their_metrics(draft):
    fixed = intake.corrected(intake.merge_items(draft, 21))  # 凝聚民心汇聚共识 + 完善委员服务管理
    assert len(fixed.report.items) == 24
    assert draft.raw.items[21].text + draft.raw.items[22].text == fixed.report.items[21].text
    training = next(m for m in fixed.report.metrics if m.activity == "全员集中培训")
    assert training.item == 21
    with pytest.raises(InvalidInput, match="没有可以合并的下一项"):
        intake.merge_items(draft, LAST)
    with pytest.raises(InvalidInput, match="相邻"):
        intake.merge_items(draft, 12)  # the last review item and the first plan item


def test_split_makes_a_new_item_from_the_marked_text(draft):
    fixed = intake.corrected(intake.split_item(draft, LAST, "各位委员"))
    assert [it.title for it in fixed.report.items[LAST:]] == ["加强宣传阵地建设", "各位委员"]
    assert fixed.report.items[LAST].text.endswith("使命任务。\n")
    assert fixed.report.items[LAST + 1].text.startswith("各位委员,为者常成")
    assert fixed.item_origin[LAST + 1] == "plan:加强宣传阵地建设／各位委员,为者常成,行者常至。让"
    with pytest.raises(InvalidInput, match="拆分位置"):
        intake.split_item(draft, LAST, "加强宣传")  # at the very start: nothing would be left


def test_add_metric_from_a_quote_in_the_source_and_drop_a_false_one(draft):
    added = intake.add_metric(
        draft, "委员读书活动", "4", "场", "委员读书活动", near=draft.raw.items[LAST].start
    )
    fixed = intake.corrected(added)
    metric = fixed.report.metrics[-1]
    assert (metric.part, metric.kind, metric.value, metric.unit, metric.item) == (
        "plan",
        "target",
        4.0,
        "场",
        LAST,
    )
    assert fixed.report.text[metric.start : metric.start + len(metric.quote)] == "委员读书活动"
    with pytest.raises(InvalidInput, match="原文中找不到"):
        intake.add_metric(draft, "不存在的文字", "4", "场")
    with pytest.raises(InvalidInput, match="不是数字"):
        intake.add_metric(draft, "委员读书活动", "四场", "场")
    dropped = intake.corrected(intake.drop_metric(added, 0))
    assert len(draft.raw.metrics) == len(dropped.report.metrics)
    assert draft.raw.metrics[1].quote == dropped.report.metrics[0].quote


def test_meta_undo_and_replay_of_a_correction_that_no_longer_fits(draft):
    fixed = intake.set_meta(draft, org="某市政协", plan_year=2023)
    assert (intake.corrected(fixed).report.org, intake.corrected(fixed).report.plan_year) == (
        "某市政协",
        2023,
    )
    with pytest.raises(InvalidInput, match="年份"):
        intake.set_meta(draft, plan_year=3023)
    assert intake.undo_last(fixed).ops == []
    gone = {"op": "rename", "item": "plan:没有这一项", "title": "x"}
    assert [gone] == intake.replay(draft.raw, [gone]).skipped


def test_document_ids_are_the_ids_import_report_writes(db, sample_report):
    rid = store.import_report(db, sample_report, store.SYSTEM_USER)["report_id"]
    items, metrics = store.document_ids(rid, sample_report)
    assert items == [r["id"] for r in store.report_items(db, rid, part=None)]
    assert metrics == [r["id"] for r in store.report_metrics(db, rid)]


def test_file_names_with_path_characters_are_refused():
    for name in ("../../etc/report.txt", "a\\b.txt", "..", "a\x00.txt"):
        with pytest.raises(Exception, match="含有路径或控制字符"):
            intake.check_filename(name)
    assert intake.check_filename("2023年报告.txt") == "2023年报告.txt"


def test_acceptance_corrections_and_ticks_survive_importing_the_corrected_file(db, users):
    """Issue 6 acceptance: upload, rename one item, add one metric, confirm, tick, import the
    corrected file again: the tick and the corrections are still there."""
    admin = users["admin"]
    draft = intake.start(db, SAMPLE.read_bytes(), SAMPLE.name)
    draft = intake.rename_item(draft, ITEM, "畅通民意渠道，建设委员工作室")
    draft = intake.add_metric(
        draft, "委员读书活动", "4", "场", "委员读书活动", near=draft.raw.items[LAST].start
    )
    first = intake.confirm(db, draft, admin)
    rid = first["report_id"]
    assert (first["unchanged"], first["corrections"], first["to_review"]) == (False, 2, 0)
    item_id = store.document_ids(rid, draft.raw)[0][ITEM]
    store.record(db, users["staff"], "status", item_id, value=Status.DONE)

    corrected_file = SAMPLE.read_text("utf-8").replace("凸显全过程人民民主", "彰显全过程人民民主")
    again = intake.start(db, corrected_file.encode("utf-8"), "报告（修订）.txt")
    assert (again.saved, again.same_file) == (2, None)
    second = intake.confirm(db, again, admin)
    assert (rid, False, 0, 1) == (
        second["report_id"],
        second["unchanged"],
        second["corrections"],
        second["to_review"],
    )
    item = store.get_row(db, "items", item_id)
    assert (item["title"], item["status"], item["missing"]) == (
        "畅通民意渠道，建设委员工作室",
        Status.DONE,
        0,
    )
    assert "彰显全过程人民民主" in item["text"]
    added = [m for m in store.report_metrics(db, rid) if m["activity"] == "委员读书活动"]
    assert [(4.0, "场", item_ids(db, rid)[LAST])] == [(m["value"], m["unit"], m["item_id"]) for m in added]

    flagged = store.items_to_review(db, rid)
    assert [(item_id, "changed")] == [(r["id"], r["reason"]) for r in flagged]
    store.mark_reviewed(db, admin, item_id)
    assert store.items_to_review(db, rid) == []

    same = intake.start(db, corrected_file.encode("utf-8"), "副本.txt")  # the same text again
    assert rid == same.same_file["id"]
    assert intake.confirm(db, same, admin)["unchanged"]


def item_ids(db, rid) -> list[str]:
    return [r["id"] for r in store.report_items(db, rid, part=None)]


def test_an_item_that_vanished_is_flagged_not_deleted_and_keeps_its_tick(db, users, sample_report):
    admin = users["admin"]
    rid = intake.confirm(db, intake.Draft(sample_report, "a.txt", source="s"), admin)["report_id"]
    lost = store.document_ids(rid, sample_report)[0][23]
    store.record(db, admin, "status", lost, value=Status.DONE)
    shorter = sample_report.text.replace("提高机关工作水平。", "")
    from tracker.parse import parse_report

    second = intake.confirm(db, intake.Draft(parse_report(shorter), "b.txt", source="s"), admin)
    assert second["to_review"] == 2
    row = store.get_row(db, "items", lost)
    assert (row["missing"], row["status"]) == (1, Status.DONE)
    # its body now reads as the end of the item before it, which changed
    before = store.document_ids(rid, sample_report)[0][22]
    assert [(before, "changed"), (lost, "vanished")] == [
        (r["id"], r["reason"]) for r in store.items_to_review(db, rid)
    ]


def test_only_admins_confirm_and_a_refused_confirm_writes_nothing(db, users, sample_report):
    draft = intake.rename_item(intake.Draft(sample_report, "a.txt"), ITEM, "新标题")
    with pytest.raises(PermissionDenied):
        intake.confirm(db, draft, users["staff"])
    assert (db["reports"].count, db["items"].count, db["events"].count - 3) == (0, 0, 0)  # 3 account events
