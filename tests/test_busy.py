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
