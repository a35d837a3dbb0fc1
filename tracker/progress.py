"""Statuses, completion, pace and lights: pure functions over rows and DataFrames.

`today` is always a parameter, so every rule can be tested with a fixed date. The rules are the
ones written in README.md ("亮灯规则").
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from tracker.model import PREVIOUS_LOGGED, REPORTED, Bound, Light, Status

# a goal whose share done trails the calendar's share by no more than this is yellow, beyond it red
YELLOW_GAP = 0.15
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
    year = plan_year or (due.year if due else date.today().year)
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


def goal_ratio(progress: float, target: float | None) -> float | None:
    """Share of a numeric goal reached. A ceiling (以内) goal is reported as share of the ceiling used."""
    if not target:
        return None
    return max(0.0, progress) / target


def goal_met(progress: float, target: float | None, bound: str | None = None, final: bool = False) -> bool:
    """A 以上/plain goal is met at the target (and may exceed it); a 以内 ceiling is met when the
    period is over (`final`) without passing it."""
    if not target:
        return False
    if bound == Bound.MAX:
        return final and progress <= target
    return progress >= target


def goal_light(
    progress: float, target: float | None, bound: str | None, today: date, start: date, due: date | None
) -> Light:
    """Light of a numeric goal from its progress against the calendar's expected share."""
    expected = elapsed_share(today, start, due)
    if not target:
        return Light.YELLOW
    if goal_met(progress, target, bound, final=expected >= 1.0):
        return Light.DONE
    if bound == Bound.MAX:  # a ceiling: red once passed, yellow when running ahead of the pace
        if progress > target:
            return Light.RED
        return Light.YELLOW if progress > target * expected + 1e-9 else Light.GREEN
    if expected >= 1.0:
        return Light.RED
    gap = expected - progress / target
    if gap <= 1e-9:
        return Light.GREEN
    return Light.YELLOW if gap <= YELLOW_GAP else Light.RED


def item_light(
    status: str, due, today: date, plan_year: int | None = None, goal_ratios: list[float] | None = None
) -> Light:
    """Light of a commitment (亮灯).

    done → done; past due → red; 受阻 → red; with numeric goals, the worst goal's share against the
    calendar; otherwise by status: 未开始 is yellow from 25 % of the period and red from 50 %,
    推进中 is green; anything unfinished within 30 days of its deadline is at least yellow.
    """
    if status == Status.DONE:
        return Light.DONE
    due_d = _as_date(due)
    start = period_start(plan_year, due_d)
    if due_d is not None and today > due_d:
        return Light.RED
    if status == Status.BLOCKED:
        return Light.RED
    expected = elapsed_share(today, start, due_d)
    if goal_ratios:
        gap = expected - min(goal_ratios)
        light = Light.GREEN if gap <= 1e-9 else Light.YELLOW if gap <= YELLOW_GAP else Light.RED
    elif status == Status.NOT_STARTED:
        light = (
            Light.RED if expected >= RED_IDLE else Light.YELLOW if expected >= YELLOW_IDLE else Light.GREEN
        )
    else:
        light = Light.GREEN
    if light == Light.GREEN and due_d is not None and (due_d - today).days <= DUE_SOON_DAYS:
        light = Light.YELLOW
    return light


def items_frame(items: list[dict], goals: list[dict], today: date, plan_year: int | None) -> pd.DataFrame:
    """The plan's commitments with effective status, light and goal completion, one row each."""
    ratios: dict[str, list[float]] = {}
    for g in goals:
        r = goal_ratio(g["progress"], g["value"])
        if g.get("item_id") and r is not None and g.get("bound") != Bound.MAX:
            ratios.setdefault(g["item_id"], []).append(r)
    rows = []
    for it in items:
        rows.append(
            {
                "id": it["id"],
                "section": it["section"],
                "section_title": it.get("section_title") or "",
                "title": it["title"],
                "status": it["status"],
                "effective_status": effective_status(it["status"], it.get("due"), today),
                "owner": it.get("owner") or "",
                "co_owner": it.get("co_owner") or "",
                "due": it.get("due") or "",
                "done": it["status"] == Status.DONE,
                "light": item_light(it["status"], it.get("due"), today, plan_year, ratios.get(it["id"])),
                "goal_share": min(ratios[it["id"]]) if it["id"] in ratios else None,
                "updated_at": it.get("updated_at"),
            }
        )
    columns = ["id", "section", "section_title", "title", "status", "effective_status", "owner", "co_owner"]
    columns += ["due", "done", "light", "goal_share", "updated_at"]
    return pd.DataFrame(rows, columns=columns)


def completion(frame: pd.DataFrame) -> dict:
    """KPI figures: how many commitments, done, on track, behind, overdue; share done."""
    total = len(frame)
    done = int(frame["done"].sum()) if total else 0
    overdue = int((frame["effective_status"] == Status.OVERDUE).sum()) if total else 0
    lights = frame["light"].value_counts().to_dict() if total else {}
    return {
        "total": total,
        "done": done,
        "share": done / total if total else 0.0,
        "on_track": int(lights.get(Light.GREEN, 0)),
        "behind": int(lights.get(Light.YELLOW, 0) + lights.get(Light.RED, 0)) - overdue,
        "overdue": overdue,
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


def goals_frame(
    goals: list[dict], items_by_id: dict[str, dict], today: date, plan_year: int | None
) -> pd.DataFrame:
    """Each numeric goal: target, progress (reported and verified), share, expected share, light."""
    rows = []
    for g in goals:
        item = items_by_id.get(g.get("item_id") or "", {})
        due = _as_date(item.get("due")) or (date(plan_year, 12, 31) if plan_year else None)
        start = period_start(plan_year, due)
        target = g["value"]
        rows.append(
            {
                "id": g["id"],
                "activity": g["activity"] or g["quote"],
                "quote": g["quote"],
                "unit": g["unit"],
                "target": target,
                "bound": g.get("bound"),
                "progress": g["progress"],
                "verified": g.get("verified") or 0.0,
                "share": goal_ratio(g["progress"], target),
                "expected": elapsed_share(today, start, due),
                "light": goal_light(g["progress"], target, g.get("bound"), today, start, due),
                "item_title": item.get("title", ""),
                "owner": item.get("owner", ""),
                "due": due.isoformat() if due else "",
            }
        )
    columns = ["id", "activity", "quote", "unit", "target", "bound", "progress", "verified", "share"]
    columns += ["expected", "light", "item_title", "owner", "due"]
    return pd.DataFrame(rows, columns=columns)


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
