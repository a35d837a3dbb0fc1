"""Online backup and restore: a backup taken while someone writes, restored, compares equal."""

import sqlite3
import threading

import pytest

from tracker import cli, store
from tracker.errors import InvalidInput
from tracker.store import backup

from .conftest import make_report


def dump(path) -> dict:
    """Every table's rows, in a fixed order: what 'the same database' means here."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        return {t: conn.execute(f"SELECT * FROM [{t}] ORDER BY 1").fetchall() for t in tables}
    finally:
        conn.close()


@pytest.fixture
def live(db, db_file, users):
    rid = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]
    goal = store.report_metrics(db, rid, "plan")[0]["id"]
    store.record(db, users["staff"], "progress", goal, amount=2, date="2023-03-01")
    return db_file, goal, users["staff"]


def test_backup_while_writing_then_restore_gives_back_the_backed_up_data(live, tmp_path):
    db_file, goal, staff = live
    stop = threading.Event()

    def writer():  # a staff member saving progress during the backup
        db = store.connect(db_file)
        while not stop.is_set():
            store.record(db, staff, "progress", goal, amount=1, date="2023-03-02")

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        out = tmp_path / "copy.db"
        result = backup.backup(out, db_file)
    finally:
        stop.set()
        thread.join()
    snapshot = dump(out)
    assert len(store.MIGRATIONS) == result["version"]
    # the copy is consistent: the cached progress equals the sum of its own progress events
    conn = sqlite3.connect(out)
    logged = conn.execute("SELECT sum(amount) FROM events WHERE action = 'progress'").fetchone()[0]
    cached = conn.execute("SELECT progress FROM metrics WHERE id = ?", [goal]).fetchone()[0]
    conn.close()
    assert logged == cached
    assert not (tmp_path / "copy.db-wal").exists()

    store.record(store.connect(db_file), staff, "progress", goal, amount=5, date="2023-04-01")
    assert snapshot != dump(db_file)
    restored = backup.restore(out, db_file)
    assert snapshot == dump(db_file)
    assert str(db_file) == restored["path"]
    # the data before the restore was kept aside, whole
    conn = sqlite3.connect(restored["previous"])
    assert conn.execute("SELECT amount FROM events ORDER BY id DESC LIMIT 1").fetchone() == (5.0,)
    conn.close()


def test_restore_refuses_a_file_that_is_not_a_tracker_database_and_changes_nothing(live, tmp_path):
    db_file = live[0]
    original = dump(db_file)
    text = tmp_path / "notes.db"
    text.write_text("这不是数据库", encoding="utf-8")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(InvalidInput, match="不是 SQLite 数据库文件"):
        backup.restore(text, db_file)
    with pytest.raises(InvalidInput, match="不是落实系统的数据库"):
        backup.restore(other, db_file)
    assert original == dump(db_file)
    assert list(tmp_path.glob("*before-restore*")) == []


def test_cli_backup_and_restore(live, tmp_path, capsys):
    db_file = live[0]
    out = tmp_path / "nightly.db"
    assert cli.main(["backup", str(out)]) == 0
    assert dump(db_file) == dump(out)
    assert cli.main(["restore", str(tmp_path / "missing.db")]) == 2
    assert "错误：文件不存在" in capsys.readouterr().err
    assert cli.main(["restore", str(out)]) == 0
    assert "已用" in capsys.readouterr().out
