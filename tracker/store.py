"""Every sqlite-utils call lives here: schema, imports, the one write path, and the read queries.

Functions take `db` (a sqlite_utils.Database) first. Writes by people go through `record()`, which
checks the user's role, appends one row to `events` (who, when, what, the value before) and updates
the derived state columns in the same transaction. Those columns (items.status, metrics.progress,
...) are a cache of the event log: `rebuild_state()` recomputes them from events alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import sqlite_utils

from tracker.errors import InvalidInput, NotFound, PermissionDenied
from tracker.model import PLAN, REVIEW, Report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "tracker.db"
SAMPLE_REPORT = ROOT / "data" / "cppcc-city-2022.txt"

STATUSES = ("未开始", "推进中", "已完成", "受阻")
DONE = "已完成"
ROLES = ("admin", "staff", "leader")
SYSTEM_USER = "system"  # the app's own seeding of the sample report

# what each role may write; leaders write nothing
STAFF_ACTIONS = frozenset(
    {"status", "owner", "co_owner", "due", "note", "progress", "fill", "activity", "undo"}
)
ADMIN_ACTIONS = STAFF_ACTIONS | {"verify", "import", "users", "category"}
PERMISSIONS = {"admin": ADMIN_ACTIONS, "staff": STAFF_ACTIONS, "leader": frozenset()}

# how each kind of event is named to people (history, exports)
ACTION_LABELS = {
    "status": "状态", "owner": "牵头单位", "co_owner": "协办单位", "due": "截止日期", "note": "备注",
    "progress": "进度填报", "verify": "进度核实", "fill": "填写数字", "activity": "登记活动", "import": "导入报告",
    "category": "类别名称", "correct": "导入核对修改", "changed": "新版本有改动", "vanished": "新版本中消失",
    "merged": "导入时合并", "reviewed": "已核对",
}  # fmt: skip

# item fields a "set" event may change, and the column each lives in
ITEM_FIELDS = {"status": "status", "owner": "owner", "co_owner": "co_owner", "due": "due"}


def db_path() -> Path:
    """The database file: $TRACKER_DB, else data/tracker.db."""
    return Path(os.environ.get("TRACKER_DB") or DEFAULT_DB)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def stable_id(*parts: object) -> str:
    """A short hash of the parts: the same document row gets the same id on every import."""
    key = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


# --- connection and schema -------------------------------------------------------------------


def connect(path: str | Path | None = None) -> sqlite_utils.Database:
    """Open the database (creating it), WAL and foreign keys on, schema migrated to the latest."""
    path = Path(path) if path is not None else db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """BEGIN IMMEDIATE ... COMMIT: concurrent writers wait for the lock instead of failing."""
    conn = db.conn
    if conn.in_transaction:  # nested: the outer transaction commits
        yield db
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


MIGRATIONS: list[str] = [
    # 1: the whole first schema
    """
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'leader')),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT
    );
    CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        org TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL DEFAULT '',
        review_year INTEGER,
        plan_year INTEGER,
        report_date TEXT,
        filename TEXT,
        content_hash TEXT,
        text TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
    );
    CREATE TABLE sections (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        part TEXT NOT NULL,
        number INTEGER NOT NULL,
        level INTEGER NOT NULL DEFAULT 1,
        title TEXT NOT NULL,
        start INTEGER,
        position INTEGER
    );
    CREATE TABLE items (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        part TEXT NOT NULL,
        section INTEGER NOT NULL,
        section_title TEXT NOT NULL DEFAULT '',
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        start INTEGER,
        kind TEXT NOT NULL DEFAULT 'lead',
        position INTEGER,
        due_text TEXT,
        missing INTEGER NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT '未开始',
        owner TEXT NOT NULL DEFAULT '',
        co_owner TEXT NOT NULL DEFAULT '',
        due TEXT,
        updated_at TEXT,
        updated_by TEXT
    );
    CREATE INDEX items_report ON items(report_id, part);
    CREATE TABLE metrics (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id),
        item_id TEXT REFERENCES items(id),
        part TEXT NOT NULL,
        kind TEXT NOT NULL,
        value REAL,
        value_max REAL,
        unit TEXT NOT NULL,
        approx INTEGER NOT NULL DEFAULT 0,
        bound TEXT,
        redacted INTEGER NOT NULL DEFAULT 0,
        activity TEXT NOT NULL DEFAULT '',
        quote TEXT NOT NULL,
        start INTEGER,
        position INTEGER,
        missing INTEGER NOT NULL DEFAULT 0,
        filled_value REAL,
        progress REAL NOT NULL DEFAULT 0,
        verified REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX metrics_report ON metrics(report_id, part);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        report_id TEXT,
        target_type TEXT NOT NULL,
        target_id TEXT NOT NULL,
        action TEXT NOT NULL,
        field TEXT,
        before TEXT,
        after TEXT,
        amount REAL,
        date TEXT,
        note TEXT,
        evidence TEXT,
        undoes INTEGER REFERENCES events(id)
    );
    CREATE INDEX events_target ON events(target_type, target_id);
    CREATE INDEX events_report ON events(report_id, action);
    CREATE UNIQUE INDEX events_undoes ON events(undoes) WHERE undoes IS NOT NULL;
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    CREATE VIEW activity_log AS
        SELECT e.id, e.report_id, e.target_id AS metric_id, m.activity AS category, m.unit,
               e.date, e.amount AS count, e.note, e.user, e.at, e.undoes
        FROM events e JOIN metrics m ON m.id = e.target_id
        WHERE e.action = 'activity';
    """,
    # 2: an activity category's name as the office calls it (admins rename; NULL = the report's wording)
    """
    ALTER TABLE metrics ADD COLUMN category TEXT;
    """,
    # 3: owners a commitment's text names (牵头单位：…), the starting value of owner / co_owner
    """
    ALTER TABLE items ADD COLUMN owner_text TEXT NOT NULL DEFAULT '';
    ALTER TABLE items ADD COLUMN co_owner_text TEXT NOT NULL DEFAULT '';
    """,
]


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations the file lacks (PRAGMA user_version counts them); returns the version."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        with transaction(db):
            for statement in _statements(script):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
        version = number
    return version


def _statements(script: str) -> list[str]:
    """Split a migration on ';' at line ends, keeping trigger bodies whole."""
    out, buf = [], []
    for line in script.splitlines():
        buf.append(line)
        joined = "\n".join(buf)
        if line.rstrip().endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined.strip())
            buf = []
    if "".join(buf).strip():
        out.append("\n".join(buf).strip())
    return [s for s in out if s]


# --- users ---------------------------------------------------------------------------------------


def get_user(db: sqlite_utils.Database, name: str) -> dict | None:
    rows = list(db["users"].rows_where("name = ?", [name]))
    return rows[0] if rows else None


def list_users(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT name, role, disabled, created_at, created_by FROM users ORDER BY name"))


def count_users(db: sqlite_utils.Database) -> int:
    return db["users"].count


def insert_user(db: sqlite_utils.Database, name: str, role: str, password_hash: str, by: str | None) -> None:
    with transaction(db):
        db["users"].insert(
            {
                "name": name,
                "role": role,
                "password_hash": password_hash,
                "created_at": now(),
                "created_by": by,
            }
        )
        _append(db, by or name, None, "user", name, "users", field="role", after=role)


def update_user(db: sqlite_utils.Database, name: str, by: str, field: str, **values) -> None:
    """Change a user row (password, disabled, lock counters) and log who did it."""
    with transaction(db):
        before = get_user(db, name)
        if before is None:
            raise NotFound(f"没有用户 {name}")
        db["users"].update(name, values)
        if field:  # lock counters are bookkeeping, not changes worth an event
            shown = {k: ("***" if k == "password_hash" else v) for k, v in values.items()}
            _append(db, by, None, "user", name, "users", field=field, after=shown)


# --- the one write path ------------------------------------------------------------------------


def check_permission(db: sqlite_utils.Database, username: str, action: str) -> dict:
    """The user row when `username` may do `action`; PermissionDenied otherwise."""
    user = get_user(db, username) if username else None
    if user is None:
        raise PermissionDenied(f"用户 {username or '(未登录)'} 不存在，不能修改数据")
    if user["disabled"]:
        raise PermissionDenied(f"用户 {username} 已停用")
    if action not in PERMISSIONS[user["role"]]:
        raise PermissionDenied(f"用户 {username}（{role_label(user['role'])}）无权执行此操作")
    return user


def role_label(role: str) -> str:
    return {"admin": "管理员", "staff": "工作人员", "leader": "领导"}.get(role, role)


def _append(db, user, report_id, target_type, target_id, action, **kw) -> int:
    row = {
        "at": now(),
        "user": user,
        "report_id": report_id,
        "target_type": target_type,
        "target_id": target_id,
        "action": action,
        "field": kw.get("field"),
        "before": None if kw.get("before") is None else json.dumps(kw["before"], ensure_ascii=False),
        "after": None if kw.get("after") is None else json.dumps(kw["after"], ensure_ascii=False),
        "amount": kw.get("amount"),
        "date": kw.get("date"),
        "note": kw.get("note") or None,
        "evidence": kw.get("evidence") or None,
        "undoes": kw.get("undoes"),
    }
    return db["events"].insert(row).last_pk


def record(db: sqlite_utils.Database, username: str, action: str, target_id: str, **kw) -> int:
    """The only function through which a person changes the record. Returns the event id.

    actions: status/owner/co_owner/due (an item field, `value=`), note (on an item or metric),
    progress/verify (a metric, `amount=`, `date=`), fill (a redacted metric, `value=`),
    activity (a review metric as category, `amount=`, `date=`), undo (`target_id` = event id).
    """
    with transaction(db):
        check_permission(db, username, action)
        if action in ITEM_FIELDS:
            return _set_item_field(db, username, action, target_id, kw.get("value"), kw)
        if action == "note":
            table = "items" if _exists(db, "items", target_id) else "metrics"
            row = _row(db, table, target_id)
            if not (kw.get("note") or "").strip():
                raise InvalidInput("备注不能为空")
            return _append(db, username, row["report_id"], table[:-1], target_id, "note", **_kw(kw))
        if action in ("progress", "verify", "activity"):
            return _add_amount(db, username, action, target_id, kw)
        if action == "fill":
            metric = _row(db, "metrics", target_id)
            if not metric["redacted"]:
                raise InvalidInput("该数字未隐去，无需填写")
            value = parse_amount(kw.get("value"), allow_zero=True)
            event = _append(
                db, username, metric["report_id"], "metric", target_id, "fill", field="filled_value",
                before=metric["filled_value"], after=value, **_kw(kw),
            )  # fmt: skip
            db["metrics"].update(target_id, {"filled_value": value})
            return event
        if action == "category":
            return _set_category(db, username, target_id, kw.get("value"), kw)
        if action == "undo":
            try:
                return _undo(db, username, int(target_id))
            except ValueError:
                raise InvalidInput(f"“{target_id}”不是记录编号") from None
        raise InvalidInput(f"未知操作 {action}")


def _kw(kw: dict) -> dict:
    return {k: kw[k] for k in ("note", "evidence", "date") if kw.get(k)}


def _exists(db, table: str, row_id: str) -> bool:
    return db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [row_id]).fetchone() is not None


def _row(db, table: str, row_id) -> dict:
    rows = list(db[table].rows_where("id = ?", [row_id]))
    if not rows:
        raise NotFound(f"找不到编号为 {row_id} 的记录")
    return rows[0]


def _set_item_field(db, username, field, item_id, value, kw) -> int:
    item = _row(db, "items", item_id)
    value = "" if value is None else str(value).strip()
    if field == "status" and value not in STATUSES:
        raise InvalidInput(f"状态必须是 {'、'.join(STATUSES)} 之一")
    if field == "due":
        value = parse_date(value) if value else None
    column = ITEM_FIELDS[field]
    before = item[column]
    if before == value:
        return 0  # nothing changes, nothing to record
    event = _append(db, username, item["report_id"], "item", item_id, field, field=column,
                    before=before, after=value, **_kw(kw))  # fmt: skip
    db["items"].update(item_id, {column: value, "updated_at": now(), "updated_by": username})
    return event


def _set_category(db, username, metric_id, value, kw) -> int:
    metric = _row(db, "metrics", metric_id)
    if metric["part"] != REVIEW:
        raise InvalidInput("只有工作回顾中的统计数字是活动类别")
    value = (value or "").strip() or None
    if value and len(value) > 40:
        raise InvalidInput("类别名称不超过 40 个字")
    if value == metric["category"]:
        return 0
    event = _append(db, username, metric["report_id"], "metric", metric_id, "category", field="category",
                    before=metric["category"], after=value, **_kw(kw))  # fmt: skip
    db["metrics"].update(metric_id, {"category": value})
    return event


def _add_amount(db, username, action, metric_id, kw) -> int:
    metric = _row(db, "metrics", metric_id)
    if action == "activity" and metric["part"] != REVIEW:
        raise InvalidInput("活动类别必须来自工作回顾中的统计数字")
    if action in ("progress", "verify") and metric["part"] != PLAN:
        raise InvalidInput("只能对工作安排中的数字目标填报进度")
    amount = parse_amount(kw.get("amount"))
    day = parse_date(kw.get("date")) if kw.get("date") else date.today().isoformat()
    event = _append(db, username, metric["report_id"], "metric", metric_id, action, amount=amount,
                    date=day, note=kw.get("note"), evidence=kw.get("evidence"))  # fmt: skip
    if action in ("progress", "verify"):
        column = "progress" if action == "progress" else "verified"
        db.execute(f"UPDATE metrics SET {column} = {column} + ? WHERE id = ?", [amount, metric_id])
    return event


def _undo(db, username, event_id: int) -> int:
    """Append the event that reverses `event_id`: nothing is deleted or rewritten."""
    event = _row(db, "events", event_id)
    if event["action"] in ("users", "import") or event["target_type"] in ("user", "report"):
        raise InvalidInput("此类记录不能撤销")
    if db.execute("SELECT 1 FROM events WHERE undoes = ?", [event_id]).fetchone():
        raise InvalidInput("该记录已撤销")
    base = {"undoes": event_id, "note": f"撤销 #{event_id}"}
    if event["action"] in ("progress", "verify", "activity"):
        new = _append(db, username, event["report_id"], event["target_type"], event["target_id"],
                      event["action"], amount=-event["amount"], date=event["date"], **base)  # fmt: skip
        if event["action"] != "activity":
            column = "progress" if event["action"] == "progress" else "verified"
            db.execute(
                f"UPDATE metrics SET {column} = {column} - ? WHERE id = ?",
                [event["amount"], event["target_id"]],
            )
        return new
    if event["action"] == "note":
        return _append(db, username, event["report_id"], event["target_type"], event["target_id"], "note",
                       field="retracted", **base)  # fmt: skip
    if event["field"]:
        table = "items" if event["target_type"] == "item" else "metrics"
        current = _row(db, table, event["target_id"])[event["field"]]
        restored = None if event["before"] is None else json.loads(event["before"])
        new = _append(db, username, event["report_id"], event["target_type"], event["target_id"],
                      event["action"], field=event["field"], before=current, after=restored, **base)  # fmt: skip
        changes = {event["field"]: restored}
        if table == "items":
            changes |= {"updated_at": now(), "updated_by": username}
        db[table].update(event["target_id"], changes)
        return new
    raise InvalidInput("此类记录不能撤销")


def parse_amount(raw, allow_zero: bool = False) -> float:
    """A number typed by a person: '3', '2.5', '３'. Text, NaN, negative or absurd values are refused."""
    if isinstance(raw, bool) or raw is None or (isinstance(raw, str) and not raw.strip()):
        raise InvalidInput("请输入数字")
    try:
        value = float(str(raw).strip().replace(",", "").translate(_FULLWIDTH_DIGITS))
    except ValueError:
        raise InvalidInput(f"“{raw}”不是数字，请输入阿拉伯数字，如 3 或 2.5") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput("请输入有限的数字")
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidInput("数量必须大于 0")
    if value > 1e15:
        raise InvalidInput("数字过大")
    return value


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def parse_date(raw) -> str:
    """YYYY-MM-DD from a date, datetime or string; InvalidInput otherwise."""
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError:
        raise InvalidInput(f"“{raw}”不是有效日期，请用 YYYY-MM-DD 格式") from None


def rebuild_state(db: sqlite_utils.Database) -> None:
    """Recompute the state columns of items and metrics from the event log alone."""
    with transaction(db):
        db.execute(
            "UPDATE items SET status = '未开始', owner = owner_text, co_owner = co_owner_text, due = due_text"
        )
        db.execute("UPDATE metrics SET progress = 0, verified = 0, filled_value = NULL, category = NULL")
        for e in db.query("SELECT * FROM events WHERE target_type IN ('item', 'metric') ORDER BY id"):
            if e["action"] in ("progress", "verify"):
                column = "progress" if e["action"] == "progress" else "verified"
                db.execute(
                    f"UPDATE metrics SET {column} = {column} + ? WHERE id = ?", [e["amount"], e["target_id"]]
                )
            elif e["field"] and e["action"] != "note":
                table = "items" if e["target_type"] == "item" else "metrics"
                value = None if e["after"] is None else json.loads(e["after"])
                db.execute(f"UPDATE [{table}] SET [{e['field']}] = ? WHERE id = ?", [value, e["target_id"]])


# --- import --------------------------------------------------------------------------------------


def text_hash(text: str) -> str:
    """The content hash kept for a report: the same file imported twice is recognised by it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_id_for(report: Report, org: str | None = None) -> str:
    """Stable across corrected versions of the same report: organisation or title, and the years."""
    return stable_id("report", org or report.org or report.title, report.review_year, report.plan_year)


def import_report(
    db: sqlite_utils.Database,
    report: Report,
    username: str,
    filename: str = "",
    org: str | None = None,
) -> dict:
    """Write an extracted report in one transaction; returns a summary dict.

    Importing the same or a corrected report again updates the document columns of rows with the
    same stable id and keeps every status, owner and progress entry; rows that vanished are flagged
    `missing`, never deleted.
    """
    content_hash = text_hash(report.text)
    report_id = report_id_for(report, org)
    with transaction(db):
        if username != SYSTEM_USER:
            check_permission(db, username, "import")
        existing = list(db["reports"].rows_where("id = ?", [report_id]))
        if existing and existing[0]["content_hash"] == content_hash:
            return {"report_id": report_id, "unchanged": True, **_counts(db, report_id)}
        db["reports"].upsert(
            {
                "id": report_id,
                "org": org or report.org or "",
                "title": report.title,
                "review_year": report.review_year,
                "plan_year": report.plan_year,
                "report_date": report.report_date,
                "filename": Path(filename).name if filename else "",
                "content_hash": content_hash,
                "text": report.text,
                "imported_at": now(),
                "imported_by": username,
            },
            pk="id",
        )
        db["sections"].delete_where("report_id = ?", [report_id])
        db["sections"].insert_all(
            {
                "id": stable_id(report_id, s.part, s.level, s.number, s.title, pos),
                "report_id": report_id,
                "part": s.part,
                "number": s.number,
                "level": s.level,
                "title": s.title,
                "start": s.start,
                "position": pos,
            }
            for pos, s in enumerate(report.sections)
        )
        item_ids, metric_ids = document_ids(report_id, report)
        _upsert_items(db, report_id, report, item_ids)
        _upsert_metrics(db, report_id, report, item_ids, metric_ids)
        _append(db, username, report_id, "report", report_id, "import", after={"filename": filename,
                "hash": content_hash, "items": len(report.items), "metrics": len(report.metrics)})  # fmt: skip
    return {"report_id": report_id, "unchanged": False, **_counts(db, report_id)}


def _counts(db, report_id: str) -> dict:
    def n(sql: str) -> int:
        return db.execute(sql, [report_id]).fetchone()[0]

    return {
        "items": n("SELECT count(*) FROM items WHERE report_id = ? AND missing = 0"),
        "plan_items": n("SELECT count(*) FROM items WHERE report_id = ? AND missing = 0 AND part = 'plan'"),
        "metrics": n("SELECT count(*) FROM metrics WHERE report_id = ? AND missing = 0"),
        "goals": n("SELECT count(*) FROM metrics WHERE report_id = ? AND missing = 0 AND part = 'plan'"),
        "missing": n("SELECT count(*) FROM items WHERE report_id = ? AND missing = 1"),
    }


def _upsert_items(db, report_id: str, report: Report, ids: list[str]) -> None:
    """Write the document columns of `report.items` under `ids`; state columns are left alone."""
    section_titles = {(s.part, s.number): s.title for s in report.sections if s.level == 1}
    for pos, (item_id, it) in enumerate(zip(ids, report.items, strict=True)):
        doc = {
            "report_id": report_id,
            "part": it.part,
            "section": it.section,
            "section_title": section_titles.get((it.part, it.section), ""),
            "title": it.title,
            "text": it.text,
            "start": it.start,
            "kind": it.kind,
            "position": pos,
            "due_text": it.due or default_due(report.plan_year, it.part),
            "owner_text": it.owner,
            "co_owner_text": it.co_owner,
            "missing": 0,
        }
        if _exists(db, "items", item_id):
            db["items"].update(item_id, doc)
        else:  # state starts from what the text says; people's changes are events from here on
            db["items"].insert({"id": item_id, **doc, "due": doc["due_text"], "owner": it.owner,
                                "co_owner": it.co_owner})  # fmt: skip
    _flag_missing(db, "items", report_id, ids)
    # what nobody has changed follows the (corrected) text, as rebuild_state() would have it
    for column, source in (("owner", "owner_text"), ("co_owner", "co_owner_text"), ("due", "due_text")):
        db.execute(
            f"UPDATE items SET {column} = {source} WHERE report_id = ? AND {column} IS NOT {source} "
            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.target_type = 'item' AND e.target_id = items.id "
            "AND e.action = ?)",
            [report_id, column],
        )


def _upsert_metrics(db, report_id: str, report: Report, item_ids: list[str], ids: list[str]) -> None:
    """Write the document columns of `report.metrics` under `ids`; progress and fills are left alone."""
    for pos, (metric_id, m) in enumerate(zip(ids, report.metrics, strict=True)):
        doc = {
            "report_id": report_id,
            "item_id": item_ids[m.item] if m.item is not None and 0 <= m.item < len(item_ids) else None,
            "part": m.part,
            "kind": m.kind,
            "value": m.value,
            "value_max": m.value_max,
            "unit": m.unit,
            "approx": int(bool(m.approx)),
            "bound": m.bound,
            "redacted": int(bool(m.redacted)),
            "activity": m.activity,
            "quote": m.quote,
            "start": m.start,
            "position": pos,
            "missing": 0,
        }
        if _exists(db, "metrics", metric_id):
            db["metrics"].update(metric_id, doc)
        else:
            db["metrics"].insert({"id": metric_id, **doc})
    _flag_missing(db, "metrics", report_id, ids)


def _flag_missing(db, table: str, report_id: str, keep: list[str]) -> None:
    marks = ",".join("?" * len(keep)) or "NULL"
    db.execute(
        f"UPDATE [{table}] SET missing = 1 WHERE report_id = ? AND id NOT IN ({marks})", [report_id, *keep]
    )


def default_due(plan_year: int | None, part: str) -> str | None:
    """A plan commitment with no deadline in its text is due at the plan year's end."""
    return f"{plan_year}-12-31" if plan_year and part == PLAN else None


# --- reads ---------------------------------------------------------------------------------------


def list_reports(db: sqlite_utils.Database) -> list[dict]:
    return list(
        db.query(
            "SELECT id, org, title, review_year, plan_year, report_date, filename, imported_at, imported_by "
            "FROM reports ORDER BY plan_year DESC, org, title"
        )
    )


def get_report(db: sqlite_utils.Database, report_id: str) -> dict:
    return _row(db, "reports", report_id)


def get_item(db: sqlite_utils.Database, item_id: str) -> dict:
    return _row(db, "items", item_id)


def report_items(db: sqlite_utils.Database, report_id: str, part: str | None = PLAN) -> list[dict]:
    return _report_rows(db, "items", report_id, part)


def report_metrics(db: sqlite_utils.Database, report_id: str, part: str | None = None) -> list[dict]:
    return _report_rows(db, "metrics", report_id, part)


def _report_rows(db, table: str, report_id: str, part: str | None) -> list[dict]:
    """A report's current rows of `table` (not those a re-import lost), in document order."""
    sql = f"SELECT * FROM [{table}] WHERE report_id = ? AND missing = 0" + (" AND part = ?" if part else "")
    return list(db.query(sql + " ORDER BY position", [report_id, part] if part else [report_id]))


def report_sections(db: sqlite_utils.Database, report_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM sections WHERE report_id = ? ORDER BY position", [report_id]))


def activity_counts(db: sqlite_utils.Database, report_id: str, year: int | None = None) -> dict[str, float]:
    """Logged activity counts per review metric (category) id, reversals included."""
    sql = "SELECT target_id, SUM(amount) FROM events WHERE report_id = ? AND action = 'activity'"
    args: list = [report_id]
    if year:
        sql += " AND substr(date, 1, 4) = ?"
        args.append(str(year))
    return {row[0]: row[1] for row in db.execute(sql + " GROUP BY target_id", args)}


def previous_report(db: sqlite_utils.Database, report: dict) -> dict | None:
    """The same organisation's report for the year before (its plan year is this one's review year)."""
    if not report.get("org") or not report.get("plan_year"):
        return None
    rows = list(db["reports"].rows_where("org = ? AND plan_year = ? AND id != ?",
                                         [report["org"], report["plan_year"] - 1, report["id"]], limit=1))  # fmt: skip
    return rows[0] if rows else None


def logged_by_category(
    db: sqlite_utils.Database, report_id: str, year: int | None
) -> dict[tuple[str, str], float]:
    """Activity counts logged against a report, keyed by (category name, unit)."""
    sql = (
        "SELECT coalesce(m.category, nullif(m.activity, ''), m.quote) AS name, m.unit, SUM(e.amount) AS n "
        "FROM events e JOIN metrics m ON m.id = e.target_id "
        "WHERE e.report_id = ? AND e.action = 'activity'"
        + (" AND substr(e.date, 1, 4) = ?" if year else "")
        + " GROUP BY name, m.unit"
    )
    args = [report_id, str(year)] if year else [report_id]
    return {(r[0], r[1]): r[2] for r in db.execute(sql, args)}


def done_dates(db: sqlite_utils.Database, report_id: str) -> list[str]:
    """When each plan commitment that is done now was last marked done (event time, ISO)."""
    sql = (
        "SELECT max(e.at) FROM events e JOIN items i ON i.id = e.target_id "
        "WHERE i.report_id = ? AND i.part = 'plan' AND i.missing = 0 AND i.status = ? "
        "AND e.report_id = i.report_id AND e.action = 'status' AND e.after = ? GROUP BY e.target_id"
    )  # e.report_id lets SQLite use events_report instead of scanning every event (1.8 s → 0.5 ms at 1M)
    return [row[0] for row in db.execute(sql, [report_id, DONE, json.dumps(DONE, ensure_ascii=False)])]


def events_for(db: sqlite_utils.Database, target_id: str | None = None, report_id: str | None = None,
               actions: tuple[str, ...] | None = None, limit: int = 500) -> list[dict]:  # fmt: skip
    """Events, newest first, with whether each has been undone."""
    where, args = [], []
    if target_id:
        where.append("e.target_id = ?")
        args.append(target_id)
    if report_id:
        where.append("e.report_id = ?")
        args.append(report_id)
    if actions:
        where.append(f"e.action IN ({','.join('?' * len(actions))})")
        args.extend(actions)
    sql = (
        "SELECT e.*, u.id AS undone_by FROM events e LEFT JOIN events u ON u.undoes = e.id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY e.id DESC LIMIT ?"
    )
    return list(db.query(sql, [*args, limit]))


# --- exports and reconciliation (issue 7) --------------------------------------------------------


def report_events(db: sqlite_utils.Database, report_id: str) -> list[dict]:
    """Every event of a report, oldest first, with the id of the event that undid it (if any)."""
    return list(
        db.query(
            "SELECT e.*, u.id AS undone_by FROM events e LEFT JOIN events u ON u.undoes = e.id "
            "WHERE e.report_id = ? ORDER BY e.id",
            [report_id],
        )
    )


def next_report_id(db: sqlite_utils.Database, report_id: str) -> str | None:
    """The report whose review covers this report's plan year (same organisation first), or None."""
    report = get_report(db, report_id)
    if not report["plan_year"]:
        return None
    row = db.execute(
        "SELECT id FROM reports WHERE review_year = ? AND id != ? ORDER BY org != ?, imported_at DESC LIMIT 1",
        [report["plan_year"], report_id, report["org"]],
    ).fetchone()
    return row[0] if row else None


# --- bulk load of generated data (the large benchmark database, issue 8) -------------------------


def bulk_insert(db: sqlite_utils.Database, table: str, columns: list[str], rows) -> int:
    """Insert generated rows (tuples in `columns` order) with one executemany; returns the count.

    For machine-made data only (tracker.generate): people's changes go through record(). Call it
    inside `transaction(db)` so that a whole load commits once.
    """
    if table not in ("users", "reports", "sections", "items", "metrics", "events"):
        raise InvalidInput(f"不能批量写入 {table}")
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    cursor = db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", rows)
    return cursor.rowcount


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per table of the record: what a generated or restored database holds."""
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
            for t in ("users", "reports", "sections", "items", "metrics", "events")}  # fmt: skip


# --- reviewed import and re-import (issue 6) -----------------------------------------------------
# Corrections a person made while reviewing an import are events on the report's source key
# (target_type 'source', action 'correct', after = the correction); item events 'changed', 'vanished'
# and 'merged' say what a re-import did to an item, and 'reviewed' that a person has looked at it.

REVIEW_EVENTS = ("changed", "vanished")


def report_by_hash(db: sqlite_utils.Database, content_hash: str) -> dict | None:
    """The report already imported from text with this hash (the same file), or None."""
    rows = list(
        db.query(
            "SELECT id, org, title, review_year, plan_year, filename, imported_at, imported_by FROM reports "
            "WHERE content_hash = ? ORDER BY imported_at DESC LIMIT 1",
            [content_hash],
        )
    )
    return rows[0] if rows else None


def corrections_for(db: sqlite_utils.Database, source: str) -> list[dict]:
    """The corrections stored for a report's source key, oldest first."""
    rows = db.execute(
        "SELECT after FROM events WHERE target_type = 'source' AND target_id = ? AND action = 'correct' "
        "ORDER BY id",
        [source],
    ).fetchall()
    return [json.loads(r[0]) for r in rows]


def document_ids(report_id: str, report: Report) -> tuple[list[str], list[str]]:
    """The stable ids of a report's items (part, section, title) and metrics (part, activity, unit,
    kind), numbered when the same key recurs: every import writes rows under these ids."""
    items, seen = [], {}
    for it in report.items:
        key = (it.part, it.section, it.title)
        seen[key] = seen.get(key, 0) + 1
        items.append(stable_id(report_id, it.part, it.section, it.title, seen[key] if seen[key] > 1 else ""))
    metrics, seen = [], {}
    for m in report.metrics:
        key = (m.part, m.activity, m.unit, m.kind)
        seen[key] = seen.get(key, 0) + 1
        metrics.append(stable_id(report_id, *key, seen[key]))
    return items, metrics


def import_reviewed(
    db: sqlite_utils.Database,
    base: Report,
    fixed: Report,
    item_origin: list,
    metric_origin: list,
    new_corrections: list[dict],
    source: str,
    username: str,
    filename: str = "",
    org: str | None = None,
) -> dict:
    """Import `base` (the extraction) and lay the person's corrections (`fixed`) over it, in one transaction.

    Items and metrics of `fixed` keep the id of the extracted row they came from (`*_origin` holds
    its index), so renamed items keep their progress; split-off items and added metrics (origin: a
    string anchor) get ids of their own. Items a re-import changed or lost get a 'changed' /
    'vanished' event that stays open until someone marks them reviewed.
    """
    with transaction(db):
        if username != SYSTEM_USER:
            check_permission(db, username, "import")
        report_id = report_id_for(base, org)
        before = {
            r["id"]: r
            for r in db.query("SELECT id, text, missing FROM items WHERE report_id = ?", [report_id])
        }
        result = import_report(db, base, username, filename=filename, org=org)
        raw_items, raw_metrics = document_ids(report_id, base)
        item_ids = [
            raw_items[o] if isinstance(o, int) else stable_id(report_id, "split", o) for o in item_origin
        ]
        metric_ids = [
            raw_metrics[o] if isinstance(o, int) else stable_id(report_id, "added", o) for o in metric_origin
        ]
        _upsert_items(db, report_id, fixed, item_ids)
        kept = set(item_ids)
        merged_before = {r[0] for r in db.execute("SELECT target_id FROM events WHERE report_id = ? "
                                                   "AND action = 'merged'", [report_id])}  # fmt: skip
        for item_id in raw_items:  # merged into another item by a correction (flagged missing above)
            if item_id not in kept and item_id not in merged_before:
                _append(db, username, report_id, "item", item_id, "merged", note="导入核对时已合并到上一项")
        _upsert_metrics(db, report_id, fixed, item_ids, metric_ids)
        for correction in new_corrections:
            _append(db, username, report_id, "source", source, "correct", after=correction)
        if not result["unchanged"]:  # the document changed: say which items it changed or lost
            for row in db.query("SELECT id, text, missing FROM items WHERE report_id = ?", [report_id]):
                old = before.get(row["id"])
                if old is None or old["missing"] or row["id"] not in kept and row["id"] in raw_items:
                    continue
                if row["missing"]:
                    _append(
                        db, username, report_id, "item", row["id"], "vanished", note="新版本中找不到该条目"
                    )
                elif old["text"] != row["text"]:
                    _append(db, username, report_id, "item", row["id"], "changed", field=None,
                            before=old["text"], after=row["text"])  # fmt: skip
        counts = _counts(db, report_id)
    return {"report_id": report_id, "unchanged": result["unchanged"] and not new_corrections,
            "corrections": len(new_corrections), "to_review": len(items_to_review(db, report_id)), **counts}  # fmt: skip


def items_to_review(db: sqlite_utils.Database, report_id: str) -> list[dict]:
    """Items a re-import changed or lost, not yet marked reviewed; `reason` is 'changed' or 'vanished'."""
    return list(
        db.query(
            """
            SELECT i.id, i.part, i.section, i.title, i.text, i.status, i.missing, e.action AS reason,
                   e.before AS old_text, e.at AS flagged_at
            FROM items i
            JOIN events e ON e.id = (SELECT max(id) FROM events WHERE target_type = 'item' AND target_id = i.id
                                     AND action IN ('changed', 'vanished'))
            WHERE i.report_id = ? AND NOT EXISTS (
                SELECT 1 FROM events r WHERE r.target_type = 'item' AND r.target_id = i.id
                AND r.action = 'reviewed' AND r.id > e.id)
            ORDER BY i.position
            """,
            [report_id],
        )
    )


def mark_reviewed(db: sqlite_utils.Database, username: str, item_id: str, note: str | None = None) -> int:
    """Record that a person has looked at an item a re-import changed or lost; returns the event id."""
    with transaction(db):
        if username != SYSTEM_USER:
            check_permission(db, username, "import")
        item = _row(db, "items", item_id)
        return _append(db, username, item["report_id"], "item", item_id, "reviewed", note=note)
