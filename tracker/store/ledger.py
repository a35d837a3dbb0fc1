"""The one write path: `record` (a person's change), undo, and `rebuild_state` from the event log.

`record` checks the user's role, appends one row to `events` (who, when, what, the value before)
and updates the derived state columns in the same transaction. Those columns (items.status,
metrics.progress, ...) are a cache of the event log: `rebuild_state()` recomputes them from events
alone. All three dispatch on the table in `actions`.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from tracker.dates import parse_date, today
from tracker.errors import InvalidInput
from tracker.goal_types import GOAL_TYPE_LABELS, GOAL_TYPES, asks_current_value
from tracker.model import STATUSES, Status
from tracker.store.actions import ACTIONS, Action, Apply, Reverse
from tracker.store.events import append, exists, get_row, is_undone
from tracker.store.schema import Database, now, transaction
from tracker.store.supervision import WRITERS
from tracker.store.units import check_assignment, check_scope
from tracker.store.users import check_permission

# what is said when a metric of the wrong part is the target
PART_ERRORS = {
    "progress": "只能对工作安排中的数字目标填报进度",
    "verify": "只能对工作安排中的数字目标填报进度",
    "activity": "活动类别必须来自工作回顾中的统计数字",
    "category": "只有工作回顾中的统计数字是活动类别",
}


def record(db: Database, username: str, action: str, target_id: str, **kw) -> int:
    """The only function through which a person changes the record. Returns the event id (0 when
    nothing changes).

    actions: status/owner/co_owner/due (an item field, `value=`), note (on an item or metric),
    progress/verify (a metric, `amount=`, `date=`), fill (a redacted metric, `value=`),
    activity (a review metric as category, `amount=`, `date=`), category (`value=`),
    undo (`target_id` = event id); 督办: assign (`value={"lead", "co"}`), and the rows of
    `supervision.WRITERS` (unit, cycle_open, report, comment, read; their keywords there).
    A unit's account is refused anything beyond its unit's commitments (`units.check_scope`).
    """
    with transaction(db):
        user = check_permission(db, username, action)
        spec = ACTIONS.get(action)
        if spec is None or spec.apply is Apply.LOG:
            raise InvalidInput(f"未知操作 {action}")
        check_scope(db, user, action, target_id)
        if spec.apply is Apply.ROW:
            return WRITERS[action](db, username, target_id, kw)
        if spec.apply is Apply.UNDO:
            try:
                event_id = int(target_id)
            except ValueError:
                raise InvalidInput(f"“{target_id}”不是记录编号") from None
            return undo(db, username, event_id)
        if spec.apply is Apply.NOTE:
            return _note(db, username, target_id, kw)
        if spec.apply is Apply.ADD:
            return _add_amount(db, username, spec, target_id, kw)
        return _set(db, username, spec, target_id, kw)


def _kw(kw: dict) -> dict:
    return {k: kw[k] for k in ("note", "evidence", "date") if kw.get(k)}


def _note(db: Database, username: str, target_id: str, kw: dict) -> int:
    table = "items" if exists(db, "items", target_id) else "metrics"
    row = get_row(db, table, target_id)
    if not (kw.get("note") or "").strip():
        raise InvalidInput("备注不能为空")
    return append(db, username, row["report_id"], table[:-1], target_id, "note", **_kw(kw))


def _check_part(spec: Action, row: dict) -> None:
    if spec.part is not None and row["part"] != spec.part:
        raise InvalidInput(PART_ERRORS[spec.name])


def _text(value, row: dict) -> str:
    return "" if value is None else str(value).strip()


def _status(value, row: dict) -> str:
    value = _text(value, row)
    if value not in STATUSES:
        raise InvalidInput(f"状态必须是 {'、'.join(STATUSES)} 之一")
    return value


def _due(value, row: dict) -> str | None:
    value = _text(value, row)
    return parse_date(value) if value else None


def _fill(value, row: dict) -> float:
    if not row["redacted"]:
        raise InvalidInput("该数字未隐去，无需填写")
    return parse_amount(value, allow_zero=True)


def _category(value, row: dict) -> str | None:
    value = (value or "").strip() or None
    if value and len(value) > 40:
        raise InvalidInput("类别名称不超过 40 个字")
    return value


def _goal_type(value, row: dict) -> str:
    value = _text(value, row)
    if value not in GOAL_TYPES:
        raise InvalidInput(f"目标类型必须是 {'、'.join(GOAL_TYPE_LABELS.values())} 之一")
    return value


# how the value a person gives is checked and normalised, per SET action
CHECKS: dict[str, Callable] = {
    "goal_type": _goal_type,
    "status": _status,
    "owner": _text,
    "co_owner": _text,
    "due": _due,
    "fill": _fill,
    "category": _category,
}


# the checks that need the database: (db, value) -> the value to store
DB_CHECKS: dict[str, Callable] = {"assign": check_assignment}


def _set(db: Database, username: str, spec: Action, target_id: str, kw: dict, day: str | None = None) -> int:
    """An item or metric field; a status change takes `day` when the caller has it already checked
    (the automatic 推进中 after a progress entry), else the person's date or today."""
    row = get_row(db, spec.table, target_id)
    _check_part(spec, row)
    if spec.name in DB_CHECKS:
        value = DB_CHECKS[spec.name](db, kw.get("value"))
    else:
        value = CHECKS[spec.name](kw.get("value"), row)
    before = row[spec.column]
    if before == value:
        return 0  # nothing changes, nothing to record
    if spec.name == "status":  # its effective date: the snapshot at a date reads it (progress.snapshot)
        kw = {**kw, "date": day or _day(db, row["report_id"], kw.get("date"))}
    event = append(
        db,
        username,
        row["report_id"],
        spec.target,
        target_id,
        spec.name,
        field=spec.column,
        before=before,
        after=value,
        **_kw(kw),
    )
    _write(db, spec.table, target_id, {spec.column: value}, username)
    return event


def _write(db: Database, table: str, row_id: str, changes: dict, username: str) -> None:
    if table == "items":
        changes = {**changes, "updated_at": now(), "updated_by": username}
    sets = ", ".join(f"[{c}] = ?" for c in changes)  # plain SQL: this runs under the write lock
    db.execute(f"UPDATE [{table}] SET {sets} WHERE id = ?", [*changes.values(), row_id])


def _add_amount(db: Database, username: str, spec: Action, metric_id: str, kw: dict) -> int:
    metric = get_row(db, "metrics", metric_id)
    _check_part(spec, metric)
    # a level or a ceiling is reported as its current value, which may be 0 (增长0%)
    amount = parse_amount(kw.get("amount"), allow_zero=asks_current_value(metric.get("goal_type")))
    day = _day(db, metric["report_id"], kw.get("date"))
    event = append(
        db,
        username,
        metric["report_id"],
        "metric",
        metric_id,
        spec.name,
        amount=amount,
        date=day,
        note=kw.get("note"),
        evidence=kw.get("evidence"),
    )
    _add(db, spec, metric_id, amount)
    if spec.name == "progress" and metric.get("item_id"):
        _start_item(db, username, metric["item_id"], day)
    return event


def _report_date(db: Database, report_id: str, raw) -> str:
    """A date a person gives for progress or an activity, within the report's years ± 1 (issue 17:
    1900-01-01 and 9999-12-31 were accepted)."""
    day = parse_date(raw)
    report = get_row(db, "reports", report_id)
    years = [y for y in (report["review_year"], report["plan_year"]) if y]
    if years and not min(years) - 1 <= int(day[:4]) <= max(years) + 1:
        raise InvalidInput(
            f"日期 {day} 不在本报告的年份范围内（{min(years) - 1}–{max(years) + 1} 年），请检查后重新填写"
        )
    return day


def _day(db: Database, report_id: str, raw) -> str:
    """The effective date of a change: a person's date within the report's years ± 1, else today."""
    return _report_date(db, report_id, raw) if raw else today().isoformat()


def _start_item(db: Database, username: str, item_id: str, day: str) -> None:
    """The first progress entry on a goal of a 未开始 commitment makes it 推进中: a status event by the
    same person with the same effective date, in the same transaction."""
    if get_row(db, "items", item_id)["status"] == Status.NOT_STARTED:
        _set(
            db,
            username,
            ACTIONS["status"],
            item_id,
            {"value": Status.IN_PROGRESS, "note": "填报目标进度"},
            day=day,
        )


def _add(db: Database, spec: Action, metric_id: str, amount: float) -> None:
    if spec.column:
        db.execute(
            f"UPDATE metrics SET [{spec.column}] = [{spec.column}] + ? WHERE id = ?", [amount, metric_id]
        )


def undo(db: Database, username: str, event_id: int) -> int:
    """Append the event that reverses `event_id`: nothing is deleted or rewritten.

    Undoing needs the right to do the original action (issue 17): staff cannot cancel an admin's
    核实 or category rename, nor redo it by undoing the undo.
    """
    with transaction(db):
        user = check_permission(db, username, "undo")
        check_scope(db, user, "undo", event_id)
        event = get_row(db, "events", event_id)
        spec = ACTIONS.get(event["action"])
        if spec is None or spec.reverse is Reverse.REFUSE or event["target_type"] in ("user", "report"):
            raise InvalidInput("此类记录不能撤销")
        check_permission(db, username, spec.name)
        if is_undone(db, event_id):
            raise InvalidInput("该记录已撤销")
        return _reverse(db, username, spec, event)


def _reverse(db: Database, username: str, spec: Action, event: dict) -> int:
    base = {"undoes": event["id"], "note": f"撤销 #{event['id']}"}
    where = (event["report_id"], event["target_type"], event["target_id"], spec.name)
    if spec.reverse is Reverse.NEGATE:
        new = append(db, username, *where, amount=-event["amount"], date=event["date"], **base)
        _add(db, spec, event["target_id"], -event["amount"])
        return new
    if spec.reverse is Reverse.RETRACT:
        return append(db, username, *where, field="retracted", **base)
    if not event["field"]:
        raise InvalidInput("此类记录不能撤销")
    table = "items" if event["target_type"] == "item" else "metrics"
    current = get_row(db, table, event["target_id"])[event["field"]]
    restored = None if event["before"] is None else json.loads(event["before"])
    # the undo takes the original event's effective date, so a snapshot drops both or neither
    new = append(
        db, username, *where, field=event["field"], before=current, after=restored, date=event["date"], **base
    )
    _write(db, table, event["target_id"], {event["field"]: restored}, username)
    return new


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


def rebuild_state(db: Database) -> None:
    """Recompute the state columns of items and metrics from the event log alone."""
    with transaction(db):
        db.execute(
            "UPDATE items SET status = ?, owner = owner_text, co_owner = co_owner_text, due = due_text,"
            " assigned = ''",
            [Status.NOT_STARTED],
        )
        db.execute("UPDATE metrics SET progress = 0, verified = 0, filled_value = NULL, category = NULL")
        for e in db.query("SELECT * FROM events WHERE target_type IN ('item', 'metric') ORDER BY id"):
            spec = ACTIONS.get(e["action"])
            if spec is None:
                continue
            if spec.apply is Apply.ADD:
                _add(db, spec, e["target_id"], e["amount"])
            elif spec.apply is Apply.SET and e["field"]:
                table = "items" if e["target_type"] == "item" else "metrics"
                value = None if e["after"] is None else json.loads(e["after"])
                db.execute(f"UPDATE [{table}] SET [{e['field']}] = ? WHERE id = ?", [value, e["target_id"]])
