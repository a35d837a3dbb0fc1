"""督办 (issue 16) in the database: periods, progress reports with evidence, leaders' instructions, and
the rows `periods` / `remind` compute on. Units, assignment and scope live in `units`.

Writes go through `ledger.record` like every other: the rows of `actions.ACTIONS` with `Apply.ROW`
("unit", "cycle_open", "report", "comment", "read") are written by the functions in `WRITERS`, each
appending its event in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from tracker import dates
from tracker import evidence as ev
from tracker import periods as pr
from tracker.dates import to_local
from tracker.errors import InvalidInput, NotFound
from tracker.model import DONE, PLAN
from tracker.store.events import append, find_row, get_row
from tracker.store.schema import Database, now
from tracker.store.units import _unit, assignment, list_units, user_unit

MAX_REPORT_TEXT = 5000
MAX_INSTRUCTION = 2000
MAX_FILES = 20  # per report

# --- periods -------------------------------------------------------------------------------------


def _cycle_open(db: Database, username: str, label: str, kw: dict) -> int:
    """Open a period (or correct the due date of an open one)."""
    p = pr.period(label, kw.get("due"))
    old = get_period(db, p.label)
    row = {
        "label": p.label,
        "kind": p.kind,
        "start": p.start.isoformat(),
        "end": p.end.isoformat(),
        "due": p.due.isoformat(),
        "opened_by": username,
        "opened_at": now(),
    }
    if old is None:
        db["periods"].insert(row)
    else:
        db["periods"].update(p.label, {"due": row["due"]})
    return append(
        db, username, None, "period", p.label, "cycle_open", field="due",
        before=old["due"] if old else None, after=p.due.isoformat(),
    )  # fmt: skip


def get_period(db: Database, label: str) -> dict | None:
    return find_row(db, "periods", label, "label")


def list_periods(db: Database) -> list[dict]:
    return list(db.query("SELECT * FROM periods ORDER BY end, start"))


def open_period(db: Database, label: str) -> pr.Period:
    """The opened period a label names; InvalidInput when it is not open."""
    norm = pr.normalise_label(label)
    row = get_period(db, norm)
    if row is None:
        raise InvalidInput(f"报告期 {norm} 尚未开启，请管理员先开启")
    return pr.as_period(row)


# --- progress reports and evidence ---------------------------------------------------------------


def today() -> str:
    """Today's date in the local zone (the calendar day of a filing; $TRACKER_TODAY in tests)."""
    return dates.today().isoformat()


def _report(db: Database, username: str, item_id: str, kw: dict) -> int:
    """A progress report: kw `period`, `text`, `files` [(name, bytes)], `unit` (office staff filing for a
    unit; a unit's account files as its unit), `filed` (the day, default today in Beijing)."""
    item = get_row(db, "items", item_id)
    p = open_period(db, kw.get("period") or "")
    text = (kw.get("text") or "").strip()
    if not text:
        raise InvalidInput("进展情况不能为空")
    if len(text) > MAX_REPORT_TEXT:
        raise InvalidInput(f"进展情况不超过 {MAX_REPORT_TEXT} 字")
    files = list(kw.get("files") or ())
    if len(files) > MAX_FILES:
        raise InvalidInput(f"每次报送的佐证材料不超过 {MAX_FILES} 个")
    checked = [(ev.check(data, name), data) for name, data in files]  # all before anything is written
    a = assignment(item)
    unit = user_unit(db, username) or (kw.get("unit") or "").strip() or a["lead"]
    if not unit:
        raise InvalidInput("该任务尚未分配牵头单位，请先分配")
    if unit != a["lead"] and unit not in a["co"]:
        raise InvalidInput(f"单位“{unit}”不是该任务的牵头或配合单位")
    filed = pr.as_date(kw.get("filed") or today())
    late = pr.is_late(p, filed)
    # the history shows what was filed, for which unit, whether late, and the files' names
    event = append(
        db, username, item["report_id"], "item", item_id, "report", field="period",
        after=f"{p.label} · {unit} · {'逾期' if late else '按时'}", date=filed.isoformat(), note=text,
        evidence="、".join(e.name for e, _ in checked),
    )  # fmt: skip
    report_id = (
        db["progress_reports"]
        .insert(
            {
                "item_id": item_id,
                "unit": unit,
                "period": p.label,
                "text": text,
                "filed": filed.isoformat(),
                "late": int(late),
                "by": username,
                "at": now(),
                "event_id": event,
            }
        )  # fmt: skip
        .last_pk
    )
    for e, data in checked:
        db.execute(
            "INSERT OR IGNORE INTO blobs (sha256, kind, size, data) VALUES (?, ?, ?, ?)",
            [e.sha256, e.kind, e.size, data],
        )
        db["attachments"].insert({"report_id": report_id, "sha256": e.sha256, "name": e.name})
    return event


def progress_reports(
    db: Database, item_ids: Iterable[str] | None = None, period: str | None = None, latest: bool = False
) -> list[dict]:
    """Progress reports, newest first, each with `files` [{name, sha256, kind, size}] and `superseded`
    (a later report of the same unit for the same commitment and period exists); `latest` keeps the rest."""
    where, args = [], []
    if period:
        where.append("r.period = ?")
        args.append(pr.normalise_label(period))
    sql = "SELECT r.* FROM progress_reports r" + (" WHERE " + " AND ".join(where) if where else "")
    rows = list(db.query(sql + " ORDER BY r.id DESC", args))
    if item_ids is not None:
        wanted = set(item_ids)
        rows = [r for r in rows if r["item_id"] in wanted]
    files: dict[int, list[dict]] = {}
    for f in db.query(
        "SELECT a.report_id, a.name, a.sha256, b.kind, b.size FROM attachments a "
        "JOIN blobs b ON b.sha256 = a.sha256 ORDER BY a.rowid"
    ):
        files.setdefault(f["report_id"], []).append(dict(f))
    seen = set()
    out = []
    for r in rows:
        key = (r["item_id"], r["unit"], r["period"])
        r = {**r, "late": bool(r["late"]), "superseded": key in seen, "files": files.get(r["id"], [])}
        seen.add(key)
        if not (latest and r["superseded"]):
            out.append(r)
    return out


def blob(db: Database, sha256: str) -> bytes:
    row = db.execute("SELECT data FROM blobs WHERE sha256 = ?", [sha256]).fetchone()
    if row is None:
        raise NotFound(f"找不到佐证材料 {sha256[:12]}")
    return row[0]


def evidence_files(db: Database, item_id: str) -> list[tuple[str, bytes]]:
    """Every evidence file of a commitment's reports (oldest first), each (name, content) once."""
    get_row(db, "items", item_id)
    out, seen = [], set()
    for r in reversed(progress_reports(db, [item_id])):
        for f in r["files"]:
            if (f["name"], f["sha256"]) not in seen:
                seen.add((f["name"], f["sha256"]))
                out.append((f["name"], blob(db, f["sha256"])))
    return out


# --- instructions --------------------------------------------------------------------------------


def _comment(db: Database, username: str, item_id: str, kw: dict) -> int:
    item = get_row(db, "items", item_id)
    text = (kw.get("text") or kw.get("note") or "").strip()
    if not text:
        raise InvalidInput("批示内容不能为空")
    if len(text) > MAX_INSTRUCTION:
        raise InvalidInput(f"批示不超过 {MAX_INSTRUCTION} 字")
    event = append(db, username, item["report_id"], "item", item_id, "comment", note=text)
    db["instructions"].insert(
        {"item_id": item_id, "text": text, "by": username, "at": now(), "event_id": event}
    )
    return event


def _read(db: Database, username: str, item_id: str, kw: dict) -> int:
    """A unit marks an instruction read: kw `instruction` (its id)."""
    item = get_row(db, "items", item_id)
    unit = user_unit(db, username)
    if unit is None:
        raise InvalidInput("只有单位账号需要标记批示已阅")
    ins = get_row(db, "instructions", kw.get("instruction"))
    if ins["item_id"] != item_id:
        raise InvalidInput("该批示不属于这项任务")
    if db.execute(
        "SELECT 1 FROM instruction_reads WHERE instruction_id = ? AND unit = ?", [ins["id"], unit]
    ).fetchone():
        return 0
    db["instruction_reads"].insert({"instruction_id": ins["id"], "unit": unit, "by": username, "at": now()})
    return append(
        db, username, item["report_id"], "item", item_id, "read", field="instruction", after=ins["id"]
    )


def instructions(db: Database, item_ids: Iterable[str] | None = None) -> list[dict]:
    """Instructions, oldest first, each with `read_by` (the units that marked it read)."""
    reads: dict[int, list[str]] = {}
    for r in db.query("SELECT instruction_id, unit FROM instruction_reads"):
        reads.setdefault(r["instruction_id"], []).append(r["unit"])
    rows = [
        {**r, "read_by": reads.get(r["id"], [])} for r in db.query("SELECT * FROM instructions ORDER BY id")
    ]
    if item_ids is not None:
        wanted = set(item_ids)
        rows = [r for r in rows if r["item_id"] in wanted]
    return rows


# --- the rows periods.py and remind.py compute on ------------------------------------------------


def _local_day(at: str | None) -> str | None:
    local = to_local(at) if at else None
    return local.date().isoformat() if local else None


def supervision_items(db: Database, item_ids: Iterable[str] | None = None) -> list[dict]:
    """Plan commitments as `periods` / `remind` take them: id, title, lead, co, due, done_on (Beijing day).

    `item_ids` narrows both queries in SQL (a JSON list through json_each, whatever its length): on
    a large database the done dates of every commitment cost seconds, one commitment's milliseconds."""
    only, args = "", []
    if item_ids is not None:
        only, args = " AND i.id IN (SELECT value FROM json_each(?))", [json.dumps(list(item_ids))]
    done = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT e.target_id, max(e.at) FROM events e JOIN items i ON i.id = e.target_id "
            "WHERE i.status = ? AND e.action = 'status' AND e.after = ?" + only + " GROUP BY e.target_id",
            [DONE, json.dumps(str(DONE), ensure_ascii=False), *args],
        )
    }
    out = []
    for it in db.query(
        "SELECT id, report_id, section, title, assigned, due, status FROM items i "
        "WHERE part = ? AND missing = 0" + only + " ORDER BY report_id, position",
        [PLAN, *args],
    ):
        a = assignment(it["assigned"])
        done_on = _local_day(done.get(it["id"])) if it["status"] == DONE else None
        out.append({
            "id": it["id"], "report": it["report_id"], "section": it["section"], "title": it["title"],
            "lead": a["lead"], "co": a["co"], "due": it["due"], "done_on": done_on, "status": it["status"],
        })  # fmt: skip
    return out


def report_rows(db: Database) -> list[dict]:
    """Every progress report as `{"unit", "item", "period", "filed"}` (periods.py's rows)."""
    return [
        {"unit": r["unit"], "item": r["item_id"], "period": r["period"], "filed": r["filed"]}
        for r in db.query("SELECT unit, item_id, period, filed FROM progress_reports ORDER BY id")
    ]


def instruction_rows(db: Database) -> list[dict]:
    """Instructions as remind.py takes them: id, item, text, by, at (Beijing day), read_by."""
    return [
        {"id": r["id"], "item": r["item_id"], "text": r["text"], "by": r["by"], "at": _local_day(r["at"]),
         "read_by": r["read_by"]}
        for r in instructions(db)
    ]  # fmt: skip


def missing_for(db: Database, label: str, item_ids: Iterable[str] | None = None) -> list[dict]:
    """Who has not reported for an opened period: `periods.missing` over the database's rows."""
    p = open_period(db, label)
    return pr.missing(supervision_items(db, item_ids), report_rows(db), p, list_units(db))


def matrix_for(db: Database, item_ids: Iterable[str] | None = None) -> tuple[list[dict], list[dict]]:
    """The units × periods matrix over every opened period, and its cells' rows (`periods.report_states`)."""
    periods = list_periods(db)
    states = pr.report_states(supervision_items(db, item_ids), report_rows(db), periods)
    return pr.matrix_of(states, periods), states


def reminders_for(db: Database, as_of, unit: str | None = None) -> list:
    """`remind.Reminder`s of every unit (or one) as of a day."""
    from tracker import remind

    rows = remind.reminders(
        supervision_items(db), report_rows(db), list_periods(db), instruction_rows(db), list_units(db),
        pr.as_date(as_of),
    )  # fmt: skip
    return [r for r in rows if unit is None or r.unit == unit]


# the writers of the Apply.ROW actions: (db, username, target_id, kw) -> event id
WRITERS: dict[str, Callable[[Database, str, str, dict], int]] = {
    "unit": _unit,
    "cycle_open": _cycle_open,
    "report": _report,
    "comment": _comment,
    "read": _read,
}
