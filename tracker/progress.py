"""The snapshot of a report's dated log, statuses, completion, pace and the five lights: pure
functions over rows and DataFrames.

`today` (the 统计截至 date) is always a parameter, so every rule can be tested with a fixed date.
`snapshot` keeps the events effective on or before it; `goals_frame` and `items_frame` judge goals
(through `goal_types`) and commitments; `light_counts` is the one count of the five lights every
surface shows; `compare` says what changed between two dates. The rules are the ones written in
README.md ("亮灯规则").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from tracker import dates, goal_types
from tracker.dates import to_local
from tracker.model import LIGHT_LABELS, LIGHT_URGENCY, PREVIOUS_LOGGED, REPORTED, Light, Status

# a commitment not started is yellow from this share of its period, red from RED_IDLE
YELLOW_IDLE, RED_IDLE = 0.25, 0.5
# days before the deadline from which an unfinished commitment is at least yellow
DUE_SOON_DAYS = 30


def _as_date(value) -> date | None:
    if value is None or value == "" or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def period_start(plan_year: int | None, due: date | None) -> date:
    """Where a commitment's period starts: 1 January of the plan year (of the due date if none)."""
    year = plan_year or (due.year if due else dates.today().year)
    return date(year, 1, 1)


def elapsed_share(today: date, start: date, due: date | None) -> float:
    """The share of the period [start, due] that has passed at `today`, between 0 and 1 (序时进度)."""
    due = due or date(start.year, 12, 31)
    if today <= start:
        return 0.0
    if today >= due:
        return 1.0
    return (today - start).days / max(1, (due - start).days)


def effective_status(status: str, due, today: date) -> str:
    """The stored status, or 已超期 when the deadline has passed and it is not done."""
    due_d = _as_date(due)
    if status != Status.DONE and due_d is not None and today > due_d:
        return Status.OVERDUE
    return status


def item_light(
    status: str,
    due,
    today: date,
    plan_year: int | None = None,
    goal_lights: list[str] | None = None,
) -> Light:
    """Light of a commitment (亮灯), one of the five.

    已完成 when done; 已超期 when past its deadline and not done; 受阻 → 滞后. With goals
    (`goal_lights`, the lights of its goals with a target), the worst light of its unfinished goals
    (a goal's 已超期 counts as 滞后 while the commitment itself is not past due; all goals met → 正常).
    Without goals, by status: 未开始 is 关注 from 25 % of the period and 滞后 from 50 %, 推进中 is
    正常. A 正常 commitment within 30 days of its deadline is 关注.
    """
    if status == Status.DONE:
        return Light.DONE
    due_d = _as_date(due)
    if due_d is not None and today > due_d:
        return Light.OVERDUE
    if status == Status.BLOCKED:
        return Light.RED
    if goal_lights:
        unfinished = [Light.RED if g == Light.OVERDUE else Light(g) for g in goal_lights if g != Light.DONE]
        light = min(unfinished, key=LIGHT_URGENCY.get) if unfinished else Light.GREEN
    elif status == Status.NOT_STARTED:
        expected = elapsed_share(today, period_start(plan_year, due_d), due_d)
        light = (
            Light.RED if expected >= RED_IDLE else Light.YELLOW if expected >= YELLOW_IDLE else Light.GREEN
        )
    else:
        light = Light.GREEN
    if light == Light.GREEN and due_d is not None and (due_d - today).days <= DUE_SOON_DAYS:
        light = Light.YELLOW
    return light


# --- the dated log: every figure at a date from the events effective on or before it ---------------


@dataclass
class Snapshot:
    """What the event log says at a date: statuses, goal entries, logged activities, done dates."""

    status: dict[str, str] = field(default_factory=dict)  # item id → status at the date
    done_on: dict[str, str] = field(default_factory=dict)  # item id → effective date it was done
    progress: dict[str, list[tuple[str, float]]] = field(default_factory=dict)  # metric id → entries
    verified: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    activity: dict[str, float] = field(default_factory=dict)  # review metric id → count logged


def event_day(event: dict) -> str:
    """An event's effective date (ISO): its `date`, else the Beijing date it was recorded."""
    if event.get("date"):
        return str(event["date"])[:10]
    local = to_local(event.get("at"))
    return local.date().isoformat() if local else ""


def snapshot(events: list[dict], as_of: date, year: int | None = None) -> Snapshot:
    """The log at `as_of` from a report's events (store.report_log): events effective after it,
    undone events and the undo events themselves are left out. Status at the date is the latest
    status change by effective date, then id; activities count within the plan `year`."""
    day = as_of.isoformat()
    undone = {e["undoes"] for e in events if e.get("undoes")}
    live = [e for e in events if not e.get("undoes") and e["id"] not in undone and event_day(e) <= day]
    snap = Snapshot()
    latest: dict[str, tuple[str, int]] = {}
    for e in live:
        action, target, when = e["action"], e["target_id"], event_day(e)
        if action == "status":
            if (when, e["id"]) >= latest.get(target, ("", -1)):
                latest[target] = (when, e["id"])
                snap.status[target] = json.loads(e["after"]) if e["after"] else Status.NOT_STARTED
                if snap.status[target] == Status.DONE:
                    snap.done_on[target] = when
        elif action == "progress":
            snap.progress.setdefault(target, []).append((when, float(e["amount"] or 0)))
        elif action == "verify":
            snap.verified.setdefault(target, []).append((when, float(e["amount"] or 0)))
        elif action == "activity" and (not year or when[:4] == str(year)):
            snap.activity[target] = snap.activity.get(target, 0.0) + float(e["amount"] or 0)
    snap.done_on = {k: v for k, v in snap.done_on.items() if snap.status.get(k) == Status.DONE}
    return snap


def goal_type_of(goal: dict) -> str:
    """A goal's type: the stored one (chosen at import or by a reviewer), else classify()'s proposal."""
    return goal.get("goal_type") or goal_types.classify(
        goal["unit"],
        goal.get("bound"),
        goal.get("activity") or "",
        goal.get("quote") or "",
        goal.get("value"),
    )


def goals_frame(
    goals: list[dict],
    items_by_id: dict[str, dict],
    today: date,
    plan_year: int | None,
    snap: Snapshot | None = None,
) -> pd.DataFrame:
    """Each numeric goal at `today`: type, target, progress and verified figure (goal_types.current_value
    over the dated entries of `snap`), share, expected share, light (goal_types.evaluate).

    Without `snap`, each goal's stored `progress` / `verified` stand as one entry dated `today`.
    """
    day = today.isoformat()
    rows = []
    for g in goals:
        item = items_by_id.get(g.get("item_id") or "", {})
        due = _as_date(item.get("due")) or (date(plan_year, 12, 31) if plan_year else None)
        start = period_start(plan_year, due)
        kind = goal_type_of(g)
        if snap is None:
            entries = [(day, g.get("progress") or 0.0)] if g.get("progress") else []
            checked = [(day, g.get("verified") or 0.0)] if g.get("verified") else []
        else:
            entries, checked = snap.progress.get(g["id"], []), snap.verified.get(g["id"], [])
        value = goal_types.current_value(kind, entries, day)
        verified = goal_types.current_value(kind, checked, day)
        expected = elapsed_share(today, start, due)
        lower = kind == goal_types.LEVEL and goal_types.lower_is_better(g.get("activity") or "")
        state = goal_types.evaluate(
            kind,
            g["value"],
            g.get("bound"),
            bool(g.get("approx")),
            value,
            expected,
            (due - today).days if due else None,
            lower,
        )
        rows.append(
            {
                "id": g["id"],
                "item_id": g.get("item_id"),
                "activity": g["activity"] or g["quote"],
                "quote": g["quote"],
                "type": kind,
                "unit": g["unit"],
                "target": g["value"],
                "bound": g.get("bound"),
                "approx": bool(g.get("approx")),
                "progress": state.progress,
                "verified": verified,
                "share": state.share,
                "expected": expected,
                "light": Light(state.light),
                "met": state.met,
                "item_title": item.get("title", ""),
                "owner": item.get("owner", ""),
                "due": due.isoformat() if due else "",
            }
        )
    return pd.DataFrame(rows, columns=GOAL_COLUMNS)


GOAL_COLUMNS = ["id", "item_id", "activity", "quote", "type", "unit", "target", "bound", "approx", "progress"]
GOAL_COLUMNS += ["verified", "share", "expected", "light", "met", "item_title", "owner", "due"]


def items_frame(
    items: list[dict],
    goals: pd.DataFrame | None,
    today: date,
    plan_year: int | None,
    snap: Snapshot | None = None,
) -> pd.DataFrame:
    """The plan's commitments at `today`: status (from `snap` when given, else the stored one),
    effective status, light and goal completion, one row each. `goals` is `goals_frame`'s."""
    by_item: dict[str, list] = {}
    if goals is not None and not goals.empty:
        for g in goals.itertuples():
            if g.item_id and g.target:
                by_item.setdefault(g.item_id, []).append(g)
    rows = []
    for it in items:
        status = snap.status.get(it["id"], Status.NOT_STARTED) if snap is not None else it["status"]
        mine = by_item.get(it["id"], [])
        shares = [g.share or 0.0 for g in mine if g.type == goal_types.ACCUMULATE]
        rows.append(
            {
                "id": it["id"],
                "section": it["section"],
                "section_title": it.get("section_title") or "",
                "title": it["title"],
                "status": status,
                "effective_status": effective_status(status, it.get("due"), today),
                "owner": it.get("owner") or "",
                "co_owner": it.get("co_owner") or "",
                "due": it.get("due") or "",
                "done": status == Status.DONE,
                "light": item_light(status, it.get("due"), today, plan_year, [g.light for g in mine]),
                "goal_share": min(shares) if shares else None,
                "goals_met": bool(mine) and all(g.met for g in mine),
                "updated_at": it.get("updated_at"),
            }
        )
    columns = ["id", "section", "section_title", "title", "status", "effective_status", "owner", "co_owner"]
    columns += ["due", "done", "light", "goal_share", "goals_met", "updated_at"]
    return pd.DataFrame(rows, columns=columns)


def light_counts(frame: pd.DataFrame) -> dict[Light, int]:
    """How many commitments have each of the five lights, in their reading order: the one count every
    surface shows (tiles, chart, lists, brief, workbook). They add up to the number of commitments."""
    counts = frame["light"].value_counts().to_dict() if not frame.empty else {}
    return {light: int(counts.get(light, 0)) for light in Light}


def labelled(counts: dict[Light, int]) -> dict[str, int]:
    """The counts keyed by the lights' Chinese labels (已完成, 正常, 关注, 滞后, 已超期)."""
    return {LIGHT_LABELS[light]: n for light, n in counts.items()}


def completion(frame: pd.DataFrame) -> dict:
    """KPI figures: how many commitments, how many done, the share done, and the five lights' counts."""
    counts = light_counts(frame)
    total = len(frame)
    done = counts[Light.DONE]
    return {"total": total, "done": done, "share": done / total if total else 0.0, "lights": counts}


def by_urgency(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows most urgent first (已超期, 滞后, 关注, 正常, 已完成), then by due date, in a stable order."""
    if frame.empty:
        return frame
    key = frame["light"].map(LIGHT_URGENCY)
    due = frame.get("due", "")
    return frame.assign(_u=key, _d=due).sort_values(["_u", "_d"], kind="stable").drop(columns=["_u", "_d"])


def compare(before: tuple[pd.DataFrame, pd.DataFrame], after: tuple[pd.DataFrame, pd.DataFrame]) -> dict:
    """What changed between two snapshots, each (items_frame, goals_frame): commitments whose status
    moved, goals whose figure moved, and commitments whose light got worse (newly slipped)."""
    items_a, goals_a = (f.set_index("id") for f in before)
    items_b, goals_b = (f.set_index("id") for f in after)
    common = [i for i in items_b.index if i in items_a.index]
    moved = [
        {"任务": items_b.at[i, "title"], "之前": items_a.at[i, "status"], "之后": items_b.at[i, "status"]}
        for i in common
        if items_a.at[i, "status"] != items_b.at[i, "status"]
    ]
    slipped = [
        {
            "任务": items_b.at[i, "title"],
            "之前": LIGHT_LABELS[items_a.at[i, "light"]],
            "之后": LIGHT_LABELS[items_b.at[i, "light"]],
        }
        for i in common
        if LIGHT_URGENCY[items_b.at[i, "light"]] < LIGHT_URGENCY[items_a.at[i, "light"]]
    ]
    goals = []
    for g in goals_b.index:
        if g not in goals_a.index:
            continue
        a, b = goals_a.at[g, "progress"], goals_b.at[g, "progress"]
        if fmt_number(a) != fmt_number(b):
            unit = goals_b.at[g, "unit"]
            goals.append(
                {
                    "目标": goals_b.at[g, "activity"],
                    "之前": f"{fmt_number(a)}{unit}",
                    "之后": f"{fmt_number(b)}{unit}",
                }
            )
    return {
        "moved": pd.DataFrame(moved, columns=["任务", "之前", "之后"]),
        "goals": pd.DataFrame(goals, columns=["目标", "之前", "之后"]),
        "slipped": pd.DataFrame(slipped, columns=["任务", "之前", "之后"]),
    }


def completion_by_section(frame: pd.DataFrame) -> pd.DataFrame:
    """Per section: total, done and share done, in section order."""
    if frame.empty:
        return pd.DataFrame(columns=["section", "section_title", "total", "done", "share"])
    grouped = (
        frame.groupby(["section", "section_title"], sort=True)
        .agg(total=("id", "count"), done=("done", "sum"))
        .reset_index()
    )
    grouped["done"] = grouped["done"].astype(int)
    grouped["share"] = grouped["done"] / grouped["total"]
    return grouped


def category_name(metric: dict) -> str:
    """An activity category's name: the office's own, else what the review counted."""
    return metric.get("category") or metric["activity"] or metric["quote"]


def year_on_year(
    review_metrics: list[dict],
    logged: dict[str, float],
    today: date,
    year: int | None,
    previous_logged: dict[tuple[str, str], float] | None = None,
) -> pd.DataFrame:
    """Last year's reported counts beside this year's logged counts and the pace line.

    Last year's count is the review's number (or the value staff filled in for a redacted one);
    when it is unknown and the organisation's previous report logged that category (same name and
    unit), the count logged there stands in. Otherwise it stays unknown (未公开).
    """
    start = date(year, 1, 1) if year else date(today.year, 1, 1)
    share = elapsed_share(today, start, date(start.year, 12, 31))
    previous_logged = previous_logged or {}
    rows = []
    for m in review_metrics:
        name = category_name(m)
        last = m["filled_value"] if m["redacted"] else m["value"]
        source = REPORTED if last is not None else ""
        if last is None and (name, m["unit"]) in previous_logged:
            last, source = previous_logged[(name, m["unit"])], PREVIOUS_LOGGED
        rows.append(
            {
                "id": m["id"],
                "category": f"{name}（{m['unit']}）",
                "activity": name,
                "unit": m["unit"],
                "last_year": last,
                "last_year_known": last is not None,
                "last_year_source": source,
                "this_year": logged.get(m["id"], 0.0),
                "pace": None if last is None else last * share,
                "quote": m["quote"],
            }
        )
    columns = ["id", "category", "activity", "unit", "last_year", "last_year_known", "last_year_source"]
    columns += ["this_year", "pace", "quote"]
    return pd.DataFrame(rows, columns=columns)


def fmt_number(value) -> str:
    """3.0 → '3', 2.5 → '2.5', None → '—'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def counted_categories(yoy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(categories with a figure: last year's count known or something logged this year, the rest):
    the rest (上年数未公开 and nothing logged) are named in one line instead of drawn as empty bars."""
    if yoy.empty:
        return yoy, yoy
    counted = yoy[yoy["last_year_known"] | (yoy["this_year"] > 0)]
    return counted, yoy.drop(counted.index)
