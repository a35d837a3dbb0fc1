"""督办 units (issue 16) and who sees what: the `units` table, the assignment of a commitment to units
(the state column `items.assigned`, JSON `{"lead": UNIT, "co": [UNIT, ...]}`, '' when none, set by the
"assign" action like any other field), reading units from the owner texts of a report, and scope.

Scope: an account with a unit (`users.unit`) sees and changes only the commitments its unit leads or
co-operates on (`visible_items`); `check_scope` is what `record` asks before any write. The "unit"
action's writer (`_unit`) is listed in `supervision.WRITERS` with the other `Apply.ROW` writers.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable

from tracker.errors import InvalidInput, NotFound, PermissionDenied
from tracker.model import PLAN, SYSTEM_USER
from tracker.store.actions import ACTIONS, OFFICE_ONLY
from tracker.store.events import append, exists, find_row, get_row
from tracker.store.schema import Database, now, transaction

MAX_UNIT_NAME = 40

# --- units ---------------------------------------------------------------------------------------


def list_units(db: Database, active_only: bool = False) -> list[dict]:
    sql = "SELECT name, email, active, created_at, created_by FROM units"
    sql += " WHERE active = 1" if active_only else ""
    return list(db.query(sql + " ORDER BY name"))


def get_unit(db: Database, name: str) -> dict | None:
    return find_row(db, "units", name, "name")


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
        _active_unit(db, unit, "请先在“单位”页面添加")
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
    """The ids of the commitments `username` may see: None (all) for an account without a unit, or
    when no one is named (the server's owner). A name that is no account is refused: a mistyped
    `--user` must not read as someone who sees everything."""
    if not username:
        return None
    row = db.execute("SELECT unit FROM users WHERE name = ?", [username]).fetchone()
    if row is None:
        raise NotFound(f"没有用户 {username}")
    return unit_items(db, row[0]) if row[0] else None


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
    if item is None or not _unit_on(db, item, unit):
        raise PermissionDenied(f"用户 {user['name']}（{unit}）无权查看或修改不属于本单位的任务")


def _unit_on(db: Database, item_id: str, unit: str) -> bool:
    """Whether `unit` leads or co-operates on this commitment (unit_items for one item, one row read
    instead of every assigned item, inside the write lock)."""
    row = find_row(db, "items", item_id)
    a = assignment(row["assigned"]) if row else None
    return bool(a) and (unit == a["lead"] or unit in a["co"])


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
    _active_unit(db, unit, "请先添加单位")
    return unit


def _active_unit(db: Database, unit: str, hint: str) -> None:
    """InvalidInput unless `unit` is a known, active unit; `hint` says where to add one."""
    row = get_unit(db, unit)
    if row is None:
        raise InvalidInput(f"没有单位“{unit}”，{hint}")
    if not row["active"]:
        raise InvalidInput(f"单位“{unit}”已停用")
