"""Online backup and restore: a backup taken while someone writes, restored, compares equal."""

import sqlite3
import threading

import pytest
import sqlite_utils

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


# --- restore compares the schema object by object (issue 17 #11, #12) ----------------------------


def hostile_copy(live_file, tmp_path, name: str, *statements: str):
    """A proper backup of the live database, then changed by `statements` (the attacker's edit)."""
    out = tmp_path / name
    backup.backup(out, live_file)
    conn = sqlite3.connect(out)
    for sql in statements:
        conn.execute(sql)
    conn.commit()
    conn.close()
    return out


HOSTILE = {
    "audit-off.db": (
        (
            "DROP TRIGGER events_no_update",
            "DROP TRIGGER events_no_delete",
            "CREATE TRIGGER events_swallow BEFORE INSERT ON events BEGIN SELECT RAISE(IGNORE); END",
        ),
        "缺少触发器 events_no_delete",
    ),
    "two-columns.db": (
        (
            "DROP VIEW activity_log",
            "DROP TABLE events",
            "CREATE TABLE events (id INTEGER PRIMARY KEY, note TEXT)",
            "CREATE INDEX events_target ON events(note)",
        ),
        "表 events 的列不同",
    ),
    "extra-table.db": (("CREATE TABLE notes (x TEXT)",), "多出表 notes"),
    "view-changed.db": (
        (
            "DROP VIEW activity_log",
            "CREATE VIEW activity_log AS SELECT id, report_id, target_id AS metric_id FROM events",
        ),
        "视图 activity_log 的定义不同",
    ),
    "index-dropped.db": (("DROP INDEX events_undoes",), "缺少索引 events_undoes"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_restore_refuses_a_schema_the_migrations_do_not_build_and_changes_nothing(live, tmp_path, name):
    db_file = live[0]
    statements, reason = HOSTILE[name]
    hostile = hostile_copy(db_file, tmp_path, name, *statements)
    original = dump(db_file)
    with pytest.raises(InvalidInput) as refused:
        backup.restore(hostile, db_file)
    assert f"{name} 的数据库结构与本程序（版本 {len(store.MIGRATIONS)}）不符：{reason}" == str(refused.value)
    assert original == dump(db_file)
    assert list(tmp_path.glob("*before-restore*")) == []
    # the audit trail of the live database still holds
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.connect(db_file).execute("UPDATE events SET amount = 0")


def test_cli_restore_of_a_hostile_file_is_one_line(live, tmp_path, capsys):
    hostile = hostile_copy(live[0], tmp_path, "audit-off.db", "DROP TRIGGER events_no_update")
    assert 2 == cli.main(["restore", str(hostile)])
    err = capsys.readouterr().err
    version = len(store.MIGRATIONS)
    assert [
        f"错误：audit-off.db 的数据库结构与本程序（版本 {version}）不符：缺少触发器 events_no_update"
    ] == (err.splitlines())


def test_an_older_schema_is_restored_only_as_its_migrations_built_it(db_file, tmp_path):
    """A file made by an older program (fewer migrations) is accepted and brought up to date; the
    same older file with a column added is refused."""
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old, isolation_level=None)
    store.migrate(sqlite_utils.Database(conn), upto=1)
    conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES ('admin', 'admin', 'x', '2023')"
    )
    conn.close()
    assert 1 == backup.check_tracker_file(old, strict=True)

    tampered = tmp_path / "old-tampered.db"
    tampered.write_bytes(old.read_bytes())
    conn = sqlite3.connect(tampered)
    conn.execute("ALTER TABLE metrics ADD COLUMN category TEXT")  # what migration 2 adds, but at version 1
    conn.commit()
    conn.close()
    with pytest.raises(InvalidInput, match="版本 1）不符：表 metrics 的列不同"):
        backup.restore(tampered, db_file)

    result = backup.restore(old, db_file)
    assert len(store.MIGRATIONS) == result["version"]
    conn = sqlite3.connect(db_file)
    restored = backup.schema_objects(conn)
    conn.close()
    assert backup.schema_difference(backup.expected_schema(len(store.MIGRATIONS)), restored) is None
