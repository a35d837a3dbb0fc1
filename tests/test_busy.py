"""A write that cannot get the lock (issue 17 #10, issue 15): one Chinese line in the library, the CLI
and the pages, and nothing written. Another connection holds the write lock; the wait is cut short."""

import sqlite3

import pytest

from tracker import cli, store
from tracker.errors import Busy
from tracker.store import schema

from .conftest import SAMPLE, make_report
from .test_app import UI, app, as_role, button


@pytest.fixture
def locked(db, db_file, users, monkeypatch):
    """The sample goal's id, with another connection holding the write lock and a 0.2 s wait."""
    rid = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]
    goal = store.report_metrics(db, rid, "plan")[0]["id"]
    monkeypatch.setattr(schema, "BUSY_SECONDS", 0.2)
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield goal
    holder.execute("ROLLBACK")
    holder.close()


def state(db_file) -> tuple:
    db = store.connect(db_file)
    return (
        db.execute("SELECT count(*) FROM events").fetchone()[0],
        db.execute("SELECT sum(progress) FROM metrics").fetchone()[0],
    )


def test_record_while_another_writer_holds_the_lock_is_busy_and_changes_nothing(locked, db_file, users):
    before = state(db_file)
    with pytest.raises(Busy) as refused:
        store.record(store.connect(db_file), users["staff"], "progress", locked, amount=1, date="2023-03-01")
    assert "数据库正忙，请稍后重试" == str(refused.value)
    assert before == state(db_file)


def test_cli_write_while_locked_is_one_line_and_exit_2(locked, db_file, users, capsys):
    before = state(db_file)
    assert 2 == cli.main(["progress", locked, "1", "--user", users["staff"], "--date", "2023-03-01"])
    out = capsys.readouterr()
    assert ["错误：数据库正忙，请稍后重试"] == out.err.splitlines()
    assert "" == out.out
    # an import: that file fails with the same line, the command exits 1
    assert 1 == cli.main(["import", "--user", users["admin"], str(SAMPLE)])
    assert f"{SAMPLE.name}: 失败：数据库正忙，请稍后重试" in capsys.readouterr().err.splitlines()
    assert before == state(db_file)


def test_a_page_save_while_locked_shows_the_line_not_a_traceback(locked, db_file, users):
    before = state(db_file)
    at = app(as_role(users, "staff")).run()
    at.switch_page(UI + "tasks.py").run()
    at.selectbox(key="progress_goal").set_value(locked)
    at.text_input(key="progress_amount").input("3")
    button(at, "提交进度").click().run()
    assert not at.exception
    assert ["数据库正忙，请稍后重试"] == [e.value for e in at.error]
    assert before == state(db_file)


def test_the_lock_is_taken_as_soon_as_the_holder_lets_go(db, db_file, users):
    """A waiting writer does not fail while the wait is within BUSY_SECONDS."""
    import threading

    rid = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]
    goal = store.report_metrics(db, rid, "plan")[0]["id"]
    holder = sqlite3.connect(db_file, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.3, holder.execute, ["COMMIT"]).start()
    event = store.record(
        store.connect(db_file), users["staff"], "progress", goal, amount=2, date="2023-03-01"
    )
    holder.close()
    assert 2.0 == store.get_row(db, "events", event)["amount"]


# --- an import holds the lock briefly, and a report too large to be one is refused (issue 17 #10) --


def big_report(items: int, metrics_per_item: int = 1):
    from tracker.model import Item, Metric, Report, Section

    return Report(
        text="报告" * 10,
        title="大报告",
        review_year=2022,
        plan_year=2023,
        sections=[Section("plan", 1, "一")],
        items=[Item("plan", 1, f"任务{k}", f"任务{k}。完成10家", k) for k in range(items)],
        metrics=[
            Metric("plan", "target", 10, "家", activity=f"任务{k}-{j}", quote="10家", start=k, item=k)
            for k in range(items)
            for j in range(metrics_per_item)
        ],
    )


def test_an_import_past_the_caps_is_refused_before_anything_is_written(db, users):
    from tracker.errors import UnsupportedDocument
    from tracker.store import importer

    with pytest.raises(UnsupportedDocument, match=f"报告条目过多（{importer.MAX_ITEMS + 1} 条"):
        store.import_report(db, big_report(importer.MAX_ITEMS + 1, 0), users["admin"])
    with pytest.raises(UnsupportedDocument, match="报告中的数字过多"):
        store.import_report(db, big_report(importer.MAX_METRICS // 3 + 1, 3), users["admin"])
    assert {"users": 3, "reports": 0, "sections": 0, "items": 0, "metrics": 0, "events": 3} == (
        store.table_counts(db)
    )


def test_a_large_import_writes_in_a_few_statements_under_the_lock(db, users):
    """2,000 commitments and 4,000 numbers: under the write lock the rows go in through one executemany
    a table (traced once a row); no look-up or update a row, so other writers wait milliseconds."""
    traced: list[str] = []
    db.conn.set_trace_callback(traced.append)
    result = store.import_report(db, big_report(2000, 2), users["admin"])
    db.conn.set_trace_callback(None)
    start = traced.index("BEGIN IMMEDIATE")
    under_lock = traced[start : traced.index("COMMIT", start)]
    assert (2000, 4000) == (result["items"], result["metrics"])
    inserts = [sql for sql in under_lock if sql.startswith("INSERT INTO [")]
    assert 1 + 1 + 2000 + 4000 == len(inserts)  # the report, its section, items, metrics
    others = [sql for sql in under_lock if not sql.startswith("INSERT INTO [")]
    assert len(others) < 30, others[:40]
