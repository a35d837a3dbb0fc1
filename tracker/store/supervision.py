"""督办 (issue 16) in the database: units, who sees which commitment, periods, progress reports with
evidence, leaders' instructions, and the rows `periods` / `remind` compute on.

Writes go through `ledger.record` like every other: the rows of `actions.ACTIONS` with `Apply.ROW`
("unit", "cycle_open", "report", "comment", "read") are written by the functions in `WRITERS`, each
appending its event in the same transaction. The assignment of a commitment to units is the state
column `items.assigned` (JSON `{"lead": UNIT, "co": [UNIT, ...]}`, '' when none), set by the
"assign" action like any other field.

Scope: an account with a unit (`users.unit`) sees and changes only the commitments its unit leads or
co-operates on (`visible_items`); `check_scope` is what `record` asks before any write.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable

from tracker import dates
from tracker import evidence as ev
from tracker import periods as pr
from tracker.dates import to_local
from tracker.errors import InvalidInput, NotFound, PermissionDenied
from tracker.model import DONE, PLAN, SYSTEM_USER
from tracker.store.actions import ACTIONS, OFFICE_ONLY
from tracker.store.events import append, exists, get_row
from tracker.store.schema import Database, now, transaction

MAX_UNIT_NAME = 40
MAX_REPORT_TEXT = 5000
MAX_INSTRUCTION = 2000
MAX_FILES = 20  # per report

# --- units ---------------------------------------------------------------------------------------


def list_units(db: Database, active_only: bool = False) -> list[dict]:
    sql = "SELECT name, email, active, created_at, created_by FROM units"
    sql += " WHERE active = 1" if active_only else ""
    return list(db.query(sql + " ORDER BY name"))


def get_unit(db: Database, name: str) -> dict | None:
    rows = list(db["units"].rows_where("name = ?", [name]))
    return rows[0] if rows else None


def check_unit_name(name: str) -> str:
    text = unicodedata.normalize("NFC", str(name or "")).strip()
    if not text:
        raise InvalidInput("单位名称不能为空")
    if len(text) > MAX_UNIT_NAME:
        raise InvalidInput(f"单位名称不超过 {MAX_UNIT_NAME} 个字")
    if any(c in text for c in "\n\r\t；;，,、"):
        raise InvalidInput(f"单位名称“{text}”不能包含分隔符（；，、）或换行")
    return text


def _unit(db: Database, username: str, name: str, kw: dict) -> int:
    """kw `op`: add (with `email`), email, disable, enable."""
    from tracker.remind import check_address

    op = kw.get("op") or "add"
    email = (kw.get("email") or "").strip() or None
    if email:
        email = check_address(email)
    if op == "add":
        name = check_unit_name(name)
        if get_unit(db, name) is not None:
            raise InvalidInput(f"单位 {name} 已存在")
        db["units"].insert(
            {"name": name, "email": email, "active": 1, "created_at": now(), "created_by": username}
        )
        return append(db, username, None, "unit", name, "unit", field="add", after=email)
    row = get_unit(db, name)
    if row is None:
        raise NotFound(f"没有单位 {name}")
    if op == "email":
        db["units"].update(name, {"email": email})
        return append(
            db, username, None, "unit", name, "unit", field="email", before=row["email"], after=email
        )
    if op in ("disable", "enable"):
        active = 1 if op == "enable" else 0
        db["units"].update(name, {"active": active})
        return append(db, username, None, "unit", name, "unit", field=op, before=row["active"], after=active)
    raise InvalidInput(f"未知的单位操作 {op}")


def manage_unit(db: Database, by: str | None, name: str, op: str = "add", email: str | None = None) -> int:
    """Add a unit, change its e-mail, disable or enable it. `by` None or SYSTEM_USER is the command line
    run by the server's owner (like `users add`); anyone else goes through `record` (admins only)."""
    if by in (None, SYSTEM_USER):
        with transaction(db):
            return _unit(db, SYSTEM_USER, name, {"op": op, "email": email})
    from tracker.store.ledger import record

    return record(db, by, "unit", name, op=op, email=email)


# --- assignment ----------------------------------------------------------------------------------


def assignment(row_or_text) -> dict:
    """`{"lead": UNIT or "", "co": [UNIT, ...]}` from an item row or its `assigned` text."""
    text = row_or_text.get("assigned", "") if isinstance(row_or_text, dict) else row_or_text
    if not text:
        return {"lead": "", "co": []}
    value = json.loads(text)
    return {"lead": value.get("lead") or "", "co": list(value.get("co") or [])}


def check_assignment(db: Database, value) -> str:
    """The `assigned` text for a value `{"lead", "co"}`: known active units, the lead not among the co-units."""
    value = value or {}
    lead = (value.get("lead") or "").strip()
    co = []
    for unit in value.get("co") or ():
        unit = str(unit).strip()
        if unit and unit != lead and unit not in co:
            co.append(unit)
    for unit in [lead, *co] if lead else co:
        row = get_unit(db, unit)
        if row is None:
            raise InvalidInput(f"没有单位“{unit}”，请先在“单位”页面添加")
        if not row["active"]:
            raise InvalidInput(f"单位“{unit}”已停用")
    if not lead and not co:
        return ""
    return json.dumps({"lead": lead, "co": co}, ensure_ascii=False)


_SPLIT = re.compile(r"[、，,；;/\s]+")


def match_units(text: str, names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Units named in an owner text (牵头单位 / 配合单位 as read from the report): the known units it names
    (a part equal to a unit's name or containing one), in the text's order, and the parts (split at 、，；
    and the like) naming no known unit, which the import review offers as new units."""
    text = unicodedata.normalize("NFC", text or "").strip()
    names = sorted({n for n in names if n}, key=len, reverse=True)
    found: list[str] = []
    unknown: list[str] = []
    for part in (p.strip() for p in _SPLIT.split(text)):
        if len(part) < 2:
            continue
        rest, here = part, []
        for name in names:
            if name in rest:
                here.append((part.find(name), name))
                rest = rest.replace(name, "\x1f")
        if here:
            found += [name for _, name in sorted(here) if name not in found]
        elif len(part) <= MAX_UNIT_NAME and part not in unknown:
            unknown.append(part)
    return found, unknown


def owner_suggestions(db: Database, report_id: str) -> dict:
    """For the import review: `{"unknown": [NAME, ...], "items": {item_id: {"lead", "co"}}}` — the units the
    owner texts of a report name that are not units yet, and the assignment read from the texts."""
    names = [u["name"] for u in list_units(db)]
    unknown: list[str] = []
    items = {}
    for it in db.query(
        "SELECT id, owner_text, co_owner_text FROM items WHERE report_id = ? AND part = ? ORDER BY position",
        [report_id, PLAN],
    ):
        lead, lead_new = match_units(it["owner_text"], names)
        co, co_new = match_units(it["co_owner_text"], names)
        for u in (*lead_new, *co_new):
            if u not in unknown and u not in names:
                unknown.append(u)
        items[it["id"]] = {"lead": (lead or lead_new or [""])[0], "co": [*lead[1:], *co, *co_new]}
    return {"unknown": unknown, "items": items}


def assign_from_text(db: Database, username: str, report_id: str, add: Iterable[str] = ()) -> int:
    """Create the units `add` (chosen on the import review), then assign every unassigned commitment of
    the report to the units its owner texts name. Returns how many commitments were assigned."""
    from tracker.store.ledger import record

    for name in add:
        if get_unit(db, check_unit_name(name)) is None:
            manage_unit(db, username, name)
    known = {u["name"] for u in list_units(db, active_only=True)}
    count = 0
    for item_id, value in owner_suggestions(db, report_id)["items"].items():
        lead = value["lead"] if value["lead"] in known else ""
        co = [u for u in value["co"] if u in known]
        if (lead or co) and not get_row(db, "items", item_id)["assigned"]:
            count += bool(record(db, username, "assign", item_id, value={"lead": lead, "co": co}))
    return count


# --- scope ---------------------------------------------------------------------------------------


def user_unit(db: Database, username: str) -> str | None:
    row = db.execute("SELECT unit FROM users WHERE name = ?", [username]).fetchone()
    return row[0] if row and row[0] else None


def visible_items(db: Database, username: str | None) -> set[str] | None:
    """The ids of the commitments `username` may see: None (all) for an account without a unit."""
    unit = user_unit(db, username) if username else None
    if unit is None:
        return None
    return unit_items(db, unit)


def visible_targets(db: Database, username: str | None) -> set[str] | None:
    """The commitments `username` may see and their goals (metric ids): what events may be shown (None: all)."""
    items = visible_items(db, username)
    if items is None:
        return None
    goals = {
        r["id"]
        for r in db.query("SELECT id, item_id FROM metrics WHERE item_id IS NOT NULL")
        if r["item_id"] in items
    }
    return items | goals


def unit_items(db: Database, unit: str) -> set[str]:
    """The commitments a unit leads or co-operates on."""
    out = set()
    for row in db.query("SELECT id, assigned FROM items WHERE assigned != ''"):
        a = assignment(row["assigned"])
        if unit == a["lead"] or unit in a["co"]:
            out.add(row["id"])
    return out


def _item_of(db: Database, action: str, target_id) -> str | None:
    """The commitment an action on `target_id` touches (None: not a commitment's)."""
    spec = ACTIONS.get(action)
    if spec is None:
        return None
    if spec.apply.value == "undo":
        try:
            event = get_row(db, "events", int(target_id))
        except (ValueError, NotFound):
            return None
        return _event_item(db, event)
    target = spec.target or ""
    if "item" in target.split("|") and exists(db, "items", target_id):
        return target_id
    if "metric" in target.split("|") and exists(db, "metrics", target_id):
        return get_row(db, "metrics", target_id)["item_id"]
    return None


def _event_item(db: Database, event: dict) -> str | None:
    if event["target_type"] == "item":
        return event["target_id"]
    if event["target_type"] == "metric" and exists(db, "metrics", event["target_id"]):
        return get_row(db, "metrics", event["target_id"])["item_id"]
    return None


def check_scope(db: Database, user: dict, action: str, target_id) -> None:
    """PermissionDenied when a unit's account acts beyond its unit's commitments (or assigns at all)."""
    unit = user.get("unit")
    if not unit:
        return
    if action in OFFICE_ONLY or _undoes(db, action, target_id) in OFFICE_ONLY:
        raise PermissionDenied(f"用户 {user['name']}（{unit}）无权分配或更改牵头、配合单位")
    item = _item_of(db, action, target_id)
    if item is None or item not in unit_items(db, unit):
        raise PermissionDenied(f"用户 {user['name']}（{unit}）无权查看或修改不属于本单位的任务")


def _undoes(db: Database, action: str, target_id) -> str | None:
    """The action of the event an undo would reverse."""
    if action != "undo":
        return None
    try:
        return get_row(db, "events", int(target_id))["action"]
    except (ValueError, NotFound):
        return None


def check_user_unit(db: Database, unit: str | None) -> str | None:
    """A unit for an account: an existing active unit, or None."""
    unit = (unit or "").strip()
    if not unit:
        return None
    row = get_unit(db, unit)
    if row is None:
        raise InvalidInput(f"没有单位“{unit}”，请先添加单位")
    if not row["active"]:
        raise InvalidInput(f"单位“{unit}”已停用")
    return unit


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
    rows = list(db["periods"].rows_where("label = ?", [label]))
    return rows[0] if rows else None


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
    """Plan commitments as `periods` / `remind` take them: id, title, lead, co, due, done_on (Beijing day)."""
    done = {
        row[0]: row[1]
        for row in db.execute(
            "SELECT e.target_id, max(e.at) FROM events e JOIN items i ON i.id = e.target_id "
            "WHERE i.status = ? AND e.action = 'status' AND e.after = ? GROUP BY e.target_id",
            [DONE, json.dumps(str(DONE), ensure_ascii=False)],
        )
    }
    wanted = set(item_ids) if item_ids is not None else None
    out = []
    for it in db.query(
        "SELECT id, report_id, section, title, assigned, due, status FROM items "
        "WHERE part = ? AND missing = 0 ORDER BY report_id, position",
        [PLAN],
    ):
        if wanted is not None and it["id"] not in wanted:
            continue
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
    items, reports, periods = supervision_items(db, item_ids), report_rows(db), list_periods(db)
    return pr.matrix(items, reports, periods), pr.report_states(items, reports, periods)


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
