"""Read queries: reports, their rows and events, counts for the pages, exports and reconciliation."""

from __future__ import annotations

import json

from tracker.errors import InvalidInput
from tracker.model import DONE, PLAN
from tracker.store.events import get_row
from tracker.store.schema import TABLES, Database


def list_reports(db: Database) -> list[dict]:
    return list(
        db.query(
            "SELECT id, org, title, review_year, plan_year, report_date, filename, imported_at, imported_by "
            "FROM reports ORDER BY plan_year DESC, org, title"
        )
    )


def get_report(db: Database, report_id: str) -> dict:
    return get_row(db, "reports", report_id)


def get_item(db: Database, item_id: str) -> dict:
    return get_row(db, "items", item_id)


def report_items(db: Database, report_id: str, part: str | None = PLAN) -> list[dict]:
    return _report_rows(db, "items", report_id, part)


def report_metrics(db: Database, report_id: str, part: str | None = None) -> list[dict]:
    return _report_rows(db, "metrics", report_id, part)


def _report_rows(db, table: str, report_id: str, part: str | None) -> list[dict]:
    """A report's current rows of `table` (not those a re-import lost), in document order."""
    sql = f"SELECT * FROM [{table}] WHERE report_id = ? AND missing = 0" + (" AND part = ?" if part else "")
    return list(db.query(sql + " ORDER BY position", [report_id, part] if part else [report_id]))


def report_sections(db: Database, report_id: str) -> list[dict]:
    return list(db.query("SELECT * FROM sections WHERE report_id = ? ORDER BY position", [report_id]))


def activity_counts(db: Database, report_id: str, year: int | None = None) -> dict[str, float]:
    """Logged activity counts per review metric (category) id, reversals included."""
    sql = "SELECT target_id, SUM(amount) FROM events WHERE report_id = ? AND action = 'activity'"
    args: list = [report_id]
    if year:
        sql += " AND substr(date, 1, 4) = ?"
        args.append(str(year))
    return {row[0]: row[1] for row in db.execute(sql + " GROUP BY target_id", args)}


def previous_report(db: Database, report: dict) -> dict | None:
    """The same organisation's report for the year before (its plan year is this one's review year)."""
    if not report.get("org") or not report.get("plan_year"):
        return None
    rows = list(
        db["reports"].rows_where(
            "org = ? AND plan_year = ? AND id != ?",
            [report["org"], report["plan_year"] - 1, report["id"]],
            limit=1,
        )
    )
    return rows[0] if rows else None


def logged_by_category(db: Database, report_id: str, year: int | None) -> dict[tuple[str, str], float]:
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


# the actions whose dated events make up a snapshot (progress.snapshot)
LOG_ACTIONS = ("status", "progress", "verify", "activity")


def report_log(db: Database, report_id: str) -> list[dict]:
    """The dated log of a report, oldest first: status changes, goal entries and their checks, logged
    activities, undo events included (they carry `undoes`). One query on events_report(report_id,
    action); `progress.snapshot` turns it into the figures at a date."""
    marks = ",".join("?" * len(LOG_ACTIONS))
    return list(
        db.query(
            "SELECT id, action, target_id, after, amount, date, at, undoes, user FROM events "
            f"WHERE report_id = ? AND action IN ({marks}) ORDER BY id",
            [report_id, *LOG_ACTIONS],
        )
    )


def done_dates(db: Database, report_id: str) -> list[str]:
    """When each plan commitment that is done now was last marked done (event time, ISO)."""
    sql = (
        "SELECT max(e.at) FROM events e JOIN items i ON i.id = e.target_id "
        "WHERE i.report_id = ? AND i.part = ? AND i.missing = 0 AND i.status = ? "
        "AND e.report_id = i.report_id AND e.action = 'status' AND e.after = ? GROUP BY e.target_id"
    )  # e.report_id lets SQLite use events_report instead of scanning every event (1.8 s → 0.5 ms at 1M)
    return [row[0] for row in db.execute(sql, [report_id, PLAN, DONE, json.dumps(DONE, ensure_ascii=False)])]


def events_for(
    db: Database,
    target_id: str | None = None,
    report_id: str | None = None,
    actions: tuple[str, ...] | None = None,
    limit: int = 500,
) -> list[dict]:
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


def report_events(db: Database, report_id: str) -> list[dict]:
    """Every event of a report, oldest first, with the id of the event that undid it (if any)."""
    return list(
        db.query(
            "SELECT e.*, u.id AS undone_by FROM events e LEFT JOIN events u ON u.undoes = e.id "
            "WHERE e.report_id = ? ORDER BY e.id",
            [report_id],
        )
    )


def next_report_id(db: Database, report_id: str) -> str | None:
    """The report whose review covers this report's plan year (same organisation first), or None."""
    report = get_report(db, report_id)
    if not report["plan_year"]:
        return None
    row = db.execute(
        "SELECT id FROM reports WHERE review_year = ? AND id != ? ORDER BY org != ?, imported_at DESC LIMIT 1",
        [report["plan_year"], report_id, report["org"]],
    ).fetchone()
    return row[0] if row else None


def bulk_insert(db: Database, table: str, columns: list[str], rows) -> int:
    """Insert generated rows (tuples in `columns` order) with one executemany; returns the count.

    For machine-made data only (tracker.generate): people's changes go through record(). Call it
    inside `transaction(db)` so that a whole load commits once.
    """
    if table not in TABLES:
        raise InvalidInput(f"不能批量写入 {table}")
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    cursor = db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", rows)
    return cursor.rowcount


def table_counts(db: Database) -> dict[str, int]:
    """Rows per table of the record: what a generated or restored database holds."""
    return {t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in TABLES}


def report_count(db: Database) -> int:
    return db["reports"].count


def data_version(db: Database) -> tuple:
    """Changes whenever anything is written: the key that keeps cached reads fresh."""
    row = db.execute(
        "SELECT (SELECT max(id) FROM events), (SELECT count(*) FROM reports), (SELECT count(*) FROM users)"
    ).fetchone()
    return tuple(row)
