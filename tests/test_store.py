"""Schema, stable ids, re-import, the one write path, undo and the event log."""

import sqlite3

import pytest

from tracker import store
from tracker.errors import InvalidInput, NotFound, PermissionDenied

from .conftest import make_report


@pytest.fixture
def rid(db, users):
    return store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]


def item_id(db, rid, title):
    return next(it["id"] for it in store.report_items(db, rid) if it["title"] == title)


def metric_id(db, rid, activity):
    return next(m["id"] for m in store.report_metrics(db, rid) if m["activity"] == activity)


def test_connect_migrates_to_the_latest_schema_with_wal_and_foreign_keys(db_file):
    db = store.connect(db_file)
    assert len(store.MIGRATIONS) == db.execute("PRAGMA user_version").fetchone()[0]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"users", "reports", "sections", "items", "metrics", "events"} <= set(db.table_names())
    store.connect(db_file)  # running the migrations again is harmless
    assert len(store.MIGRATIONS) == store.migrate(db)


def test_import_writes_rows_with_stable_ids(db, rid):
    items = store.report_items(db, rid)
    assert [it["title"] for it in items] == ["畅通民意沟通渠道", "完善委员服务管理"]
    assert [it["section_title"] for it in items] == ["为民履职", "自身建设"]
    assert [it["due"] for it in items] == ["2023-12-31", "2023-12-31"]
    assert items[0]["id"] == store.stable_id(rid, "plan", 1, "畅通民意沟通渠道", "")
    goal = store.report_metrics(db, rid, "plan")[0]
    assert (10, "家", items[0]["id"]) == (goal["value"], goal["unit"], goal["item_id"])


def test_importing_the_same_report_again_changes_nothing(db, rid):
    before = list(db.query("SELECT * FROM items ORDER BY id"))
    result = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")
    assert result["unchanged"] and rid == result["report_id"]
    assert before == list(db.query("SELECT * FROM items ORDER BY id"))


def test_reimporting_a_corrected_report_keeps_progress_and_flags_what_vanished(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    store.record(db, users["staff"], "status", first, value="已完成")
    store.record(db, users["staff"], "progress", metric_id(db, rid, "建设委员工作室"), amount=3)
    corrected = make_report(extra_item=True, text="改正后的正文")
    corrected.items = [corrected.items[0], corrected.items[2]]  # one item vanished, one is new
    corrected.metrics = corrected.metrics[:1] + corrected.metrics[2:]
    corrected.metrics[0].item = 0
    result = store.import_report(db, corrected, store.SYSTEM_USER, "r2.txt")
    assert (rid, False, 1) == (result["report_id"], result["unchanged"], result["missing"])
    kept = store.report_items(db, rid)
    assert [(i["title"], i["status"]) for i in kept] == [
        ("畅通民意沟通渠道", "已完成"),
        ("加强宣传阵地建设", "未开始"),
    ]
    assert store.report_metrics(db, rid, "plan")[0]["progress"] == 3.0
    vanished = list(db.query("SELECT title, missing FROM items WHERE missing = 1"))
    assert vanished == [{"title": "完善委员服务管理", "missing": 1}]


def test_record_appends_an_event_with_who_when_before_and_after(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    event_id = store.record(db, users["staff"], "status", first, value="推进中", note="已启动")
    event = store.events_for(db, target_id=first)[0]
    assert event_id == event["id"]
    assert (users["staff"], "status", '"未开始"', '"推进中"', "已启动") == (
        event["user"],
        event["action"],
        event["before"],
        event["after"],
        event["note"],
    )
    assert event["at"].endswith("Z")
    item = store.report_items(db, rid)[0]
    assert ("推进中", users["staff"]) == (item["status"], item["updated_by"])


def test_a_leader_is_refused_every_write_and_nothing_changes(db, rid, users):
    before = db.execute("SELECT count(*) FROM events").fetchone()[0]
    first = item_id(db, rid, "畅通民意沟通渠道")
    goal = metric_id(db, rid, "建设委员工作室")
    calls = [
        ("status", first, {"value": "已完成"}),
        ("owner", first, {"value": "办公室"}),
        ("co_owner", first, {"value": "提案委"}),
        ("due", first, {"value": "2023-06-30"}),
        ("note", first, {"note": "x"}),
        ("progress", goal, {"amount": 1}),
        ("verify", goal, {"amount": 1}),
        ("fill", metric_id(db, rid, "提案"), {"value": 5}),
        ("activity", metric_id(db, rid, "专题协商"), {"amount": 1}),
        ("undo", "1", {}),
    ]
    for action, target, kw in calls:
        with pytest.raises(PermissionDenied):
            store.record(db, users["leader"], action, target, **kw)
    assert before == db.execute("SELECT count(*) FROM events").fetchone()[0]
    assert store.report_items(db, rid)[0]["status"] == "未开始"


def test_unknown_and_disabled_users_are_refused(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    with pytest.raises(PermissionDenied):
        store.record(db, "nobody", "status", first, value="已完成")
    db["users"].update(users["staff"], {"disabled": 1})
    with pytest.raises(PermissionDenied):
        store.record(db, users["staff"], "status", first, value="已完成")


def test_staff_may_not_verify_or_import(db, rid, users):
    with pytest.raises(PermissionDenied):
        store.record(db, users["staff"], "verify", metric_id(db, rid, "建设委员工作室"), amount=1)
    with pytest.raises(PermissionDenied):
        store.import_report(db, make_report(text="另一份"), users["staff"])


@pytest.mark.parametrize("raw", ["三", "abc", "", None, "-1", "0", "nan", "inf", "1e400", True])
def test_a_number_typed_as_text_is_refused_with_a_message(db, rid, users, raw):
    goal = metric_id(db, rid, "建设委员工作室")
    with pytest.raises(InvalidInput):
        store.record(db, users["staff"], "progress", goal, amount=raw)
    assert store.report_metrics(db, rid, "plan")[0]["progress"] == 0


def test_parse_amount_accepts_what_people_type():
    assert [store.parse_amount(v) for v in ("3", " 2.5 ", "1,200", "３")] == [3.0, 2.5, 1200.0, 3.0]


def test_bad_values_are_refused(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    with pytest.raises(InvalidInput):
        store.record(db, users["staff"], "status", first, value="差不多")
    with pytest.raises(InvalidInput):
        store.record(db, users["staff"], "due", first, value="明年")
    with pytest.raises(NotFound):
        store.record(db, users["staff"], "status", "no-such-id", value="已完成")
    with pytest.raises(InvalidInput):  # progress goes on plan goals, activities on review counts
        store.record(db, users["staff"], "progress", metric_id(db, rid, "专题协商"), amount=1)
    with pytest.raises(InvalidInput):
        store.record(db, users["staff"], "activity", metric_id(db, rid, "建设委员工作室"), amount=1)
    with pytest.raises(InvalidInput):
        store.record(db, users["staff"], "fill", metric_id(db, rid, "专题协商"), value=1)


def test_undo_appends_a_reversing_event_and_nothing_is_deleted(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    goal = metric_id(db, rid, "建设委员工作室")
    done = store.record(db, users["staff"], "status", first, value="已完成")
    added = store.record(db, users["staff"], "progress", goal, amount=4, date="2023-05-10")
    store.record(db, users["admin"], "undo", str(done))
    store.record(db, users["admin"], "undo", str(added))
    assert store.report_items(db, rid)[0]["status"] == "未开始"
    assert store.report_metrics(db, rid, "plan")[0]["progress"] == 0
    amounts = [e["amount"] for e in store.events_for(db, target_id=goal)]
    assert amounts == [-4.0, 4.0]
    with pytest.raises(InvalidInput):
        store.record(db, users["admin"], "undo", str(done))  # once only


def test_events_cannot_be_updated_or_deleted(db, rid, users):
    store.record(db, users["staff"], "status", item_id(db, rid, "畅通民意沟通渠道"), value="已完成")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM events")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET user = 'x'")


def test_state_columns_are_a_cache_of_the_event_log(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    store.record(db, users["staff"], "status", first, value="已完成")
    store.record(db, users["staff"], "owner", first, value="办公室")
    store.record(db, users["staff"], "progress", metric_id(db, rid, "建设委员工作室"), amount=2)
    store.record(db, users["staff"], "fill", metric_id(db, rid, "提案"), value=120)
    undone = store.record(db, users["staff"], "due", first, value="2023-06-30")
    store.record(db, users["staff"], "undo", str(undone))
    state = list(db.query("SELECT id, status, owner, due FROM items ORDER BY id"))
    metrics = list(db.query("SELECT id, progress, filled_value FROM metrics ORDER BY id"))
    store.rebuild_state(db)
    assert state == list(db.query("SELECT id, status, owner, due FROM items ORDER BY id"))
    assert metrics == list(db.query("SELECT id, progress, filled_value FROM metrics ORDER BY id"))


def test_activity_counts_sum_logged_activities_of_the_year(db, rid, users):
    cat = metric_id(db, rid, "专题协商")
    store.record(db, users["staff"], "activity", cat, amount=2, date="2023-03-01")
    store.record(db, users["staff"], "activity", cat, amount=1, date="2022-12-30")
    gone = store.record(db, users["staff"], "activity", cat, amount=5, date="2023-04-01")
    store.record(db, users["staff"], "undo", str(gone))
    assert {cat: 2.0} == store.activity_counts(db, rid, 2023)
    log = list(db.query("SELECT category, count FROM activity_log WHERE date LIKE '2023%' ORDER BY id"))
    assert [(r["category"], r["count"]) for r in log] == [
        ("专题协商", 2.0),
        ("专题协商", 5.0),
        ("专题协商", -5.0),
    ]


def test_script_in_notes_and_names_is_stored_as_text(db, rid, users):
    first = item_id(db, rid, "畅通民意沟通渠道")
    evil = "<script>alert(1)</script>'; DROP TABLE items; --"
    store.record(db, users["staff"], "owner", first, value=evil, note=evil)
    assert evil == store.report_items(db, rid)[0]["owner"]
    assert "items" in db.table_names()


def test_an_owner_named_in_the_text_is_the_starting_owner_and_people_override_it(db, users):
    report = make_report()
    report.items[0].owner, report.items[0].co_owner = "市委统战部", "市民政局"
    rid = store.import_report(db, report, store.SYSTEM_USER, "r.txt")["report_id"]
    first = item_id(db, rid, "畅通民意沟通渠道")
    assert ("市委统战部", "市民政局") == tuple(store.get_item(db, first)[k] for k in ("owner", "co_owner"))
    store.record(db, users["staff"], "owner", first, value="政协办公室")
    report.text = "改正后的正文"
    report.items[0].owner = "市委办公室"  # the corrected text names other owners
    report.items[0].co_owner = "市财政局"
    store.import_report(db, report, store.SYSTEM_USER, "r2.txt")
    assert "政协办公室" == store.get_item(db, first)["owner"]  # a person's choice stands
    assert "市财政局" == store.get_item(db, first)["co_owner"]  # what nobody changed follows the text
    store.rebuild_state(db)
    assert ("政协办公室", "市财政局") == tuple(store.get_item(db, first)[k] for k in ("owner", "co_owner"))
