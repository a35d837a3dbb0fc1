"""The append-only event log's one writer, and row look-ups shared by the store's modules."""

from __future__ import annotations

import json

from tracker.errors import NotFound
from tracker.store.schema import Database, now


def append(
    db: Database, user: str, report_id: str | None, target_type: str, target_id: str, action: str, **kw
) -> int:
    """Append one event (who, when, what, the value before and after); returns its id."""
    row = {
        "at": now(),
        "user": user,
        "report_id": report_id,
        "target_type": target_type,
        "target_id": target_id,
        "action": action,
        "field": kw.get("field"),
        "before": _json(kw.get("before")),
        "after": _json(kw.get("after")),
        "amount": kw.get("amount"),
        "date": kw.get("date"),
        "note": kw.get("note") or None,
        "evidence": kw.get("evidence") or None,
        "undoes": kw.get("undoes"),
    }
    # plain SQL: this runs under the write lock, where sqlite-utils' table introspection costs time
    names = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" * len(row))
    return db.execute(f"INSERT INTO events ({names}) VALUES ({marks})", list(row.values())).lastrowid


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def exists(db: Database, table: str, row_id: str) -> bool:
    return db.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", [row_id]).fetchone() is not None


def find_row(db: Database, table: str, value, key: str = "id") -> dict | None:
    """The row of `table` whose `key` column (a name from the code, never from input) is `value`, or
    None. Plain SQL: sqlite-utils' rows_where first asks sqlite_master three times, and look-ups like
    the signed-in user run on every page run."""
    cursor = db.execute(f"SELECT * FROM [{table}] WHERE [{key}] = ?", [value])
    row = cursor.fetchone()
    return None if row is None else dict(zip((c[0] for c in cursor.description), row, strict=True))


def get_row(db: Database, table: str, row_id) -> dict:
    """The row of `table` with this id; NotFound otherwise."""
    row = find_row(db, table, row_id)
    if row is None:
        raise NotFound(f"找不到编号为 {row_id} 的记录")
    return row


def is_undone(db: Database, event_id: int) -> bool:
    return db.execute("SELECT 1 FROM events WHERE undoes = ?", [event_id]).fetchone() is not None
