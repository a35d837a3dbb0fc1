"""Backup and restore of the database file with SQLite's online backup API.

Both work while the app runs: the backup API copies a consistent snapshot page by page and takes
SQLite's own locks, so readers and writers of the live database only wait, they never see a
half-written file. A restore copies the chosen file *into* the live database through the same API
(rather than replacing the file under open connections, which would strand their WAL files), after
checking that it is a tracker database and after keeping the current data aside as a backup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlite_utils

from tracker.errors import InvalidInput, NotFound
from tracker.store.migrations import MIGRATIONS, migrate, schema_version
from tracker.store.schema import TABLES, connect, db_path

SQLITE_HEADER = b"SQLite format 3\x00"
# tables a file must have to be taken for a tracker database
REQUIRED_TABLES = frozenset(TABLES)
PAGES_PER_STEP = 1024  # copy in steps so that writers of the live database are not held up long

Progress = Callable[[int, int], None] | None


def backup(out: str | Path, source: str | Path | None = None, progress: Progress = None) -> dict:
    """Copy the live database (default $TRACKER_DB) to `out`: a single self-contained file.

    The copy is written beside `out` under a temporary name and renamed when complete, so `out` is
    never a half-written file. Returns {"path", "bytes", "version"}.
    """
    source = Path(source) if source is not None else db_path()
    out = Path(out)
    if not source.exists():
        raise NotFound(f"数据库文件不存在：{source}")
    if out.resolve() == source.resolve():
        raise InvalidInput("备份文件不能是数据库文件本身")
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy(source, partial, progress)
    dst = sqlite3.connect(partial)
    try:
        dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    finally:
        dst.close()
    version = check_tracker_file(partial)
    partial.replace(out)
    return {"path": str(out), "bytes": out.stat().st_size, "version": version}


def restore(src: str | Path, target: str | Path | None = None, progress: Progress = None) -> dict:
    """Replace the content of the live database (default $TRACKER_DB) with the backup `src`.

    `src` must be a tracker database of this version or older (it is migrated after the copy).
    The current content is first saved as `<db>.before-restore-<time>.db`. Returns
    {"path", "previous", "version"}; "previous" is None when there was no database yet.
    """
    src = Path(src)
    target = Path(target) if target is not None else db_path()
    if src.resolve() == target.resolve():
        raise InvalidInput("要恢复的文件就是当前数据库")
    check_tracker_file(src, strict=True)
    previous = None
    if target.exists():
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        previous = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix or '.db'}")
        backup(previous, target)
    _copy(src, target, progress, source_readonly=True)
    db = connect(target)  # brings an older backup's schema up to date
    try:
        version = schema_version(db)
    finally:
        db.conn.close()
    return {"path": str(target), "previous": None if previous is None else str(previous), "version": version}


def check_tracker_file(path: str | Path, strict: bool = False) -> int:
    """The schema version of a tracker database file; InvalidInput with the reason otherwise.

    Opens the file read-only: a file that is not a database is never modified. `strict` (restore)
    also refuses any schema that differs from what that many migrations build (issue 17 #11, #12):
    a file with the append-only triggers dropped, a trigger that silently drops writes, a table of
    other columns, an extra table or a changed view would otherwise become the live database.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"文件不存在：{path}")
    with path.open("rb") as f:
        if f.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise InvalidInput(f"{path.name} 不是 SQLite 数据库文件")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise InvalidInput(f"{path.name} 无法打开：{e}") from None
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        found = schema_objects(conn) if strict else {}
    except sqlite3.Error as e:
        raise InvalidInput(f"{path.name} 已损坏：{e}") from None
    finally:
        conn.close()
    missing = REQUIRED_TABLES - tables
    if missing or version < 1:
        raise InvalidInput(
            f"{path.name} 不是落实系统的数据库（缺少表：{'、'.join(sorted(missing)) or '版本号'}）"
        )
    if version > len(MIGRATIONS):
        raise InvalidInput(
            f"{path.name} 来自更新的版本（数据库版本 {version}，本程序支持 {len(MIGRATIONS)}）"
        )
    if check != "ok":
        raise InvalidInput(f"{path.name} 已损坏：{check}")
    if strict:
        difference = schema_difference(expected_schema(version), found)
        if difference:
            raise InvalidInput(f"{path.name} 的数据库结构与本程序（版本 {version}）不符：{difference}")
    return version


# --- the schema, object by object ----------------------------------------------------------------

KINDS = {"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}


def schema_objects(conn: sqlite3.Connection) -> dict[tuple[str, str], dict]:
    """Every schema object of a database by (type, name): the table it belongs to, its SQL with
    whitespace collapsed, and for a table its columns, and its indexes with their columns.

    SQLite's own objects (sqlite_sequence, sqlite_stat*, automatic indexes) hold data, not schema;
    automatic indexes still show up through their table's index list.
    """
    out = {}
    rows = conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    for kind, name, table, sql in rows:
        entry = {"table": table, "sql": " ".join((sql or "").split())}
        if kind == "table":
            entry["columns"] = conn.execute(f"PRAGMA table_info([{name}])").fetchall()
            entry["indexes"] = sorted(
                (idx[1], idx[2], idx[3], idx[4], tuple(conn.execute(f"PRAGMA index_xinfo([{idx[1]}])")))
                for idx in conn.execute(f"PRAGMA index_list([{name}])")
            )
        out[(kind, name)] = entry
    return out


def expected_schema(version: int) -> dict[tuple[str, str], dict]:
    """The schema objects the first `version` migrations build, in a fresh in-memory database."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(sqlite_utils.Database(conn), upto=version)
        return schema_objects(conn)
    finally:
        conn.close()


def schema_difference(expected: dict, found: dict) -> str | None:
    """The first difference between two schemas as one Chinese phrase; None when they are equal.

    Kind by kind (tables, indexes, triggers, views): objects missing or extra first, then
    definitions that differ; the tables' index lists last.
    """
    for kind, label in KINDS.items():
        keys = sorted(k for k in expected.keys() | found.keys() if k[0] == kind)
        for key in keys:
            if key not in found:
                return f"缺少{label} {key[1]}"
            if key not in expected:
                return f"多出{label} {key[1]}"
        for key in keys:
            want, got = expected[key], found[key]
            if want.get("columns") != got.get("columns"):
                return f"表 {key[1]} 的列不同"
            if want["table"] != got["table"] or want["sql"] != got["sql"]:
                return f"{label} {key[1]} 的定义不同"
    for key in sorted(expected):  # automatic indexes (primary keys, UNIQUE) and index columns
        if expected[key].get("indexes") != found[key].get("indexes"):
            return f"表 {key[1]} 的索引不同"
    return None


def _copy(source: Path, dest: Path, progress: Progress, source_readonly: bool = False) -> None:
    """sqlite3's online backup from `source` into `dest`, in steps, waiting on locks."""
    uri = f"{source.resolve().as_uri()}?mode=ro" if source_readonly else source.resolve().as_uri()
    src = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        dst = sqlite3.connect(dest, timeout=30)
        try:
            dst.execute("PRAGMA busy_timeout=30000")

            def step(status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total)

            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
        finally:
            dst.close()
    finally:
        src.close()
