"""Writing an extracted report: the plain import, the reviewed import with people's corrections, and
re-imports that keep every status and progress entry (rows have stable ids and are never deleted).

Corrections a person made while reviewing an import are events on the report's source key
(target_type 'source', action 'correct', after = the correction); item events 'changed', 'vanished'
and 'merged' say what a re-import did to an item, and 'reviewed' that a person has looked at it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from pathlib import Path

from tracker.errors import UnsupportedDocument
from tracker.goal_types import classify
from tracker.model import PLAN, SYSTEM_USER, Report
from tracker.store.events import append, get_row
from tracker.store.schema import Database, now, stable_id, transaction
from tracker.store.users import check_permission


def text_hash(text: str) -> str:
    """The content hash kept for a report: the same file imported twice is recognised by it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def report_id_for(report: Report, org: str | None = None) -> str:
    """Stable across corrected versions of the same report: organisation or title, and the years."""
    return stable_id("report", org or report.org or report.title, report.review_year, report.plan_year)


# a real report has fewer than 2,000 commitments and 5,000 numbers; past these a file is not one,
# and writing it would hold every other writer up (issue 17 #10)
MAX_ITEMS = 10_000
MAX_METRICS = 20_000


def check_size(report: Report) -> None:
    """UnsupportedDocument when a report has more items or numbers than any real report."""
    if len(report.items) > MAX_ITEMS:
        raise UnsupportedDocument(
            f"报告条目过多（{len(report.items)} 条，上限 {MAX_ITEMS} 条），不像一份工作报告，未导入"
        )
    if len(report.metrics) > MAX_METRICS:
        raise UnsupportedDocument(
            f"报告中的数字过多（{len(report.metrics)} 个，上限 {MAX_METRICS} 个），不像一份工作报告，未导入"
        )


def import_report(
    db: Database,
    report: Report,
    username: str,
    filename: str = "",
    org: str | None = None,
) -> dict:
    """Write an extracted report in one transaction; returns a summary dict.

    Importing the same or a corrected report again updates the document columns of rows with the
    same stable id and keeps every status, owner and progress entry; rows that vanished are flagged
    `missing`, never deleted. Ids and rows are computed before the write lock is taken and written
    with a few executemany statements, so other writers wait milliseconds, not the whole import.
    """
    check_size(report)
    content_hash = text_hash(report.text)
    report_id = report_id_for(report, org)
    report_row = {
        "id": report_id,
        "org": org or report.org or "",
        "title": report.title,
        "review_year": report.review_year,
        "plan_year": report.plan_year,
        "report_date": report.report_date,
        "filename": Path(filename).name if filename else "",
        "content_hash": content_hash,
        "text": report.text,
        "imported_by": username,
    }
    sections = [
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
    ]
    item_ids, metric_ids = document_ids(report_id, report)
    items = _item_rows(report_id, report, item_ids)
    metrics = _metric_rows(report_id, report, item_ids, metric_ids)
    summary = {"filename": filename, "hash": content_hash, "items": len(items), "metrics": len(metrics)}
    with transaction(db):
        if username != SYSTEM_USER:
            check_permission(db, username, "import")
        existing = db.execute("SELECT content_hash FROM reports WHERE id = ?", [report_id]).fetchone()
        if existing and existing[0] == content_hash:
            return {"report_id": report_id, "unchanged": True, "event": None, **_counts(db, report_id)}
        _upsert(db, "reports", [{**report_row, "imported_at": now()}], keep=())
        db.execute("DELETE FROM sections WHERE report_id = ?", [report_id])
        _upsert(db, "sections", sections, keep=())
        _write_items(db, report_id, items)
        _write_metrics(db, report_id, metrics)
        event = append(db, username, report_id, "report", report_id, "import", after=summary)
        counts = _counts(db, report_id)
    return {"report_id": report_id, "unchanged": False, "event": event, **counts}


def _counts(db, report_id: str) -> dict:
    def n(sql: str, *args) -> int:
        return db.execute(sql, [report_id, *args]).fetchone()[0]

    return {
        "items": n("SELECT count(*) FROM items WHERE report_id = ? AND missing = 0"),
        "plan_items": n("SELECT count(*) FROM items WHERE report_id = ? AND missing = 0 AND part = ?", PLAN),
        "metrics": n("SELECT count(*) FROM metrics WHERE report_id = ? AND missing = 0"),
        "goals": n("SELECT count(*) FROM metrics WHERE report_id = ? AND missing = 0 AND part = ?", PLAN),
        "missing": n("SELECT count(*) FROM items WHERE report_id = ? AND missing = 1"),
    }


def _upsert(db, table: str, rows: list[dict], keep: tuple[str, ...]) -> None:
    """Insert `rows` (all with the same keys) with one executemany; a row whose id exists has its
    columns updated, except those in `keep`, which only a new row sets."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f"[{c}]" for c in columns)
    marks = ", ".join("?" * len(columns))
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c != "id" and c not in keep)
    db.conn.executemany(
        f"INSERT INTO [{table}] ({names}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates}",
        [tuple(r[c] for c in columns) for r in rows],
    )


def _item_rows(report_id: str, report: Report, ids: list[str]) -> list[dict]:
    """The rows of `report.items` under `ids`: document columns, and the state a new row starts with."""
    section_titles = {(s.part, s.number): s.title for s in report.sections if s.level == 1}
    rows = []
    for pos, (item_id, it) in enumerate(zip(ids, report.items, strict=True)):
        due = it.due or default_due(report.plan_year, it.part)
        rows.append(
            {
                "id": item_id,
                "report_id": report_id,
                "part": it.part,
                "section": it.section,
                "section_title": section_titles.get((it.part, it.section), ""),
                "title": it.title,
                "text": it.text,
                "start": it.start,
                "kind": it.kind,
                "position": pos,
                "due_text": due,
                "owner_text": it.owner,
                "co_owner_text": it.co_owner,
                "missing": 0,
                # state starts from what the text says; people's changes are events from here on
                "due": due,
                "owner": it.owner,
                "co_owner": it.co_owner,
            }
        )
    return rows


ITEM_STATE = ("due", "owner", "co_owner")


def _write_items(db, report_id: str, rows: list[dict]) -> None:
    """Write item rows (document columns; state columns only for new rows), flag the rest missing."""
    _upsert(db, "items", rows, keep=ITEM_STATE)
    _flag_missing(db, "items", report_id, [r["id"] for r in rows])
    # what nobody has changed follows the (corrected) text, as rebuild_state() would have it
    for column, source in (("owner", "owner_text"), ("co_owner", "co_owner_text"), ("due", "due_text")):
        db.execute(
            f"UPDATE items SET {column} = {source} WHERE report_id = ? AND {column} IS NOT {source} "
            "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.target_type = 'item' AND e.target_id = items.id "
            "AND e.action = ?)",
            [report_id, column],
        )


def _upsert_items(db, report_id: str, report: Report, ids: list[str]) -> None:
    """Write the document columns of `report.items` under `ids`; state columns are left alone."""
    _write_items(db, report_id, _item_rows(report_id, report, ids))


def _metric_rows(report_id: str, report: Report, item_ids: list[str], ids: list[str]) -> list[dict]:
    """The document columns of `report.metrics` under `ids`."""
    return [
        {
            "id": metric_id,
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
            "goal_type": (m.type or classify(m.unit, m.bound, m.activity, m.quote, m.value))
            if m.part == PLAN
            else None,
        }
        for pos, (metric_id, m) in enumerate(zip(ids, report.metrics, strict=True))
    ]


def _write_metrics(db, report_id: str, rows: list[dict]) -> None:
    """Write metric rows (progress, fills and categories are left alone), flag the rest missing.

    A goal's type is the extractor's proposal unless a reviewer chose one (a goal_type event):
    re-import keeps that choice."""
    chosen = dict(
        db.execute(
            "SELECT id, goal_type FROM metrics WHERE id IN (SELECT target_id FROM events "
            "WHERE report_id = ? AND action = 'goal_type')",
            [report_id],
        ).fetchall()
    )
    for row in rows:
        if row["id"] in chosen:
            row["goal_type"] = chosen[row["id"]]
    _upsert(db, "metrics", rows, keep=())
    _flag_missing(db, "metrics", report_id, [r["id"] for r in rows])


def _upsert_metrics(db, report_id: str, report: Report, item_ids: list[str], ids: list[str]) -> None:
    """Write the document columns of `report.metrics` under `ids`; progress and fills are left alone."""
    _write_metrics(db, report_id, _metric_rows(report_id, report, item_ids, ids))


def _flag_missing(db, table: str, report_id: str, keep: list[str]) -> None:
    marks = ",".join("?" * len(keep)) or "NULL"
    db.execute(
        f"UPDATE [{table}] SET missing = 1 WHERE report_id = ? AND id NOT IN ({marks})", [report_id, *keep]
    )


def default_due(plan_year: int | None, part: str) -> str | None:
    """A plan commitment with no deadline in its text is due at the plan year's end."""
    return f"{plan_year}-12-31" if plan_year and part == PLAN else None


def report_by_hash(db: Database, content_hash: str) -> dict | None:
    """The report already imported from text with this hash (the same file), or None."""
    rows = list(
        db.query(
            "SELECT id, org, title, review_year, plan_year, filename, imported_at, imported_by FROM reports "
            "WHERE content_hash = ? ORDER BY imported_at DESC LIMIT 1",
            [content_hash],
        )
    )
    return rows[0] if rows else None


def corrections_for(db: Database, source: str) -> list[dict]:
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
    db: Database,
    base: Report,
    fixed: Report,
    item_origin: list,
    metric_origin: list,
    new_corrections: list[dict],
    source: str,
    username: str,
    filename: str = "",
    org: str | None = None,
    dropped: Collection[int] = (),
) -> dict:
    """Import `base` (the extraction) and lay the person's corrections (`fixed`) over it, in one transaction.

    Items and metrics of `fixed` keep the id of the extracted row they came from (`*_origin` holds
    its index), so renamed items keep their progress; split-off items and added metrics (origin: a
    string anchor) get ids of their own. Items a re-import changed or lost get a 'changed' /
    'vanished' event that stays open until someone marks them reviewed. Items a person deleted
    (`dropped`: indices into `base.items`) are flagged missing like merged ones, without a 'merged' event.
    """
    check_size(base)
    check_size(fixed)
    with transaction(db):
        if username != SYSTEM_USER:
            check_permission(db, username, "import")
        report_id = report_id_for(base, org)
        before = {
            r["id"]: r
            for r in db.query("SELECT id, text, missing FROM items WHERE report_id = ?", [report_id])
        }
        result = import_report(db, base, username, filename=filename, org=org)
        raw_items, item_ids, metric_ids = _row_ids(report_id, base, item_origin, metric_origin)
        _upsert_items(db, report_id, fixed, item_ids)
        kept = set(item_ids)
        _note_merged(db, username, report_id, raw_items, kept, {raw_items[k] for k in dropped})
        _upsert_metrics(db, report_id, fixed, item_ids, metric_ids)
        event = result["event"]  # the record the CLI names: the import, else the first correction
        for correction in new_corrections:
            corrected = append(db, username, report_id, "source", source, "correct", after=correction)
            event = event or corrected
        if not result["unchanged"]:  # the document changed: say which items it changed or lost
            _note_changes(db, username, report_id, before, kept, raw_items)
        counts = _counts(db, report_id)
    return {
        "report_id": report_id,
        "unchanged": result["unchanged"] and not new_corrections,
        "event": event,
        "corrections": len(new_corrections),
        "to_review": len(items_to_review(db, report_id)),
        **counts,
    }


def _row_ids(
    report_id: str, base: Report, item_origin: list, metric_origin: list
) -> tuple[list[str], list[str], list[str]]:
    """The extracted items' ids, and the ids of the corrected items and metrics: an extracted row's own id
    (origin: its index), or one of their own for split-off items and added metrics (origin: an anchor)."""
    raw_items, raw_metrics = document_ids(report_id, base)
    item_ids = [raw_items[o] if isinstance(o, int) else stable_id(report_id, "split", o) for o in item_origin]
    metric_ids = [
        raw_metrics[o] if isinstance(o, int) else stable_id(report_id, "added", o) for o in metric_origin
    ]
    return raw_items, item_ids, metric_ids


def _note_merged(
    db: Database, username: str, report_id: str, raw_items: list[str], kept: set, deleted: set
) -> None:
    """A 'merged' event for each extracted item a correction merged into another (flagged missing by
    `_upsert_items`), unless it has one already or a person deleted it."""
    merged_before = {
        r[0]
        for r in db.execute(
            "SELECT target_id FROM events WHERE report_id = ? AND action = 'merged'", [report_id]
        )
    }
    for item_id in raw_items:
        if item_id not in kept and item_id not in merged_before and item_id not in deleted:
            append(db, username, report_id, "item", item_id, "merged", note="导入核对时已合并到上一项")


def _note_changes(
    db: Database, username: str, report_id: str, before: dict, kept: set, raw_items: list[str]
) -> None:
    """After a changed document: a 'vanished' event for each item it lost, 'changed' for each whose text
    it changed (items present `before`, not missing then, and not merged away by a correction)."""
    for row in db.query("SELECT id, text, missing FROM items WHERE report_id = ?", [report_id]):
        old = before.get(row["id"])
        if old is None or old["missing"] or row["id"] not in kept and row["id"] in raw_items:
            continue
        if row["missing"]:
            append(db, username, report_id, "item", row["id"], "vanished", note="新版本中找不到该条目")
        elif old["text"] != row["text"]:
            append(
                db, username, report_id, "item", row["id"], "changed", before=old["text"], after=row["text"]
            )


def items_to_review(db: Database, report_id: str) -> list[dict]:
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


def mark_reviewed(db: Database, username: str, item_id: str, note: str | None = None) -> int:
    """Record that a person has looked at an item a re-import changed or lost; returns the event id."""
    with transaction(db):
        if username != SYSTEM_USER:
            check_permission(db, username, "import")
        item = get_row(db, "items", item_id)
        return append(db, username, item["report_id"], "item", item_id, "reviewed", note=note)
