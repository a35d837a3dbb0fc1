"""The 督办 sheets of the Excel workbook (issue 16): each unit's commitments with their latest report
and report state, and the progress reports of the periods begun by the workbook's date."""

from __future__ import annotations

from datetime import date

from tracker import periods, store


def sheets(db: store.Database, report_id: str, as_of: date) -> list[tuple]:
    """`(title, columns, records)` for `export.workbook`: 单位督办 and 进展报送; none while no unit exists
    (an office that does not use 督办 gets the workbook it had)."""
    from tracker.export import DAY, Column

    if not store.list_units(db):
        return []
    items = [it for it in store.supervision_items(db) if it["report"] == report_id]
    ids = [it["id"] for it in items]
    opened = [p for p in store.list_periods(db) if periods.as_period(p).start <= as_of]
    states = {
        (s["unit"], s["item"], s["period"]): s["state"].label
        for s in periods.report_states(items, store.report_rows(db), opened)
    }
    latest = store.progress_reports(db, ids, latest=True)
    latest = [r for r in latest if any(r["period"] == p["label"] for p in opened)]
    by_unit_item: dict[tuple, dict] = {}
    for r in latest:  # newest first: the first seen is the latest
        by_unit_item.setdefault((r["unit"], r["item_id"]), r)
    last = opened[-1]["label"] if opened else None
    unit_rows = []
    for it in items:
        for unit, role in [(it["lead"], "牵头"), *((u, "配合") for u in it["co"])]:
            if not unit:
                continue
            r = by_unit_item.get((unit, it["id"]), {})
            unit_rows.append({
                "unit": unit, "role": role, "section": it["section"], "title": it["title"],
                "status": it["status"], "due": it["due"], "last_period": r.get("period", ""),
                "filed": r.get("filed"), "text": r.get("text", ""), "files": len(r.get("files", [])),
                "state": states.get((unit, it["id"], last), "") if last and role == "牵头" else "",
            })  # fmt: skip
    unit_rows.sort(key=lambda row: (row["unit"], row["role"] != "牵头"))
    titles = {it["id"]: it["title"] for it in items}
    unit_columns = [
        Column("单位", 18, lambda r, src: r["unit"]),
        Column("分工", 6, lambda r, src: r["role"]),
        Column("部分", 6, lambda r, src: r["section"]),
        Column("任务", 40, lambda r, src: r["title"]),
        Column("状态", 8, lambda r, src: r["status"]),
        Column("截止日期", 12, lambda r, src: _day(r["due"]), DAY),
        Column(f"{last or '本期'}报送情况", 12, lambda r, src: r["state"]),
        Column("最近报送期", 10, lambda r, src: r["last_period"]),
        Column("报送日期", 12, lambda r, src: _day(r["filed"]), DAY),
        Column("最近进展", 50, lambda r, src: r["text"]),
        Column("佐证材料", 8, lambda r, src: r["files"]),
    ]
    report_columns = [
        Column("报告期", 10, lambda r, src: r["period"]),
        Column("单位", 18, lambda r, src: r["unit"]),
        Column("任务", 40, lambda r, src: titles.get(r["item_id"], r["item_id"])),
        Column("报送日期", 12, lambda r, src: _day(r["filed"]), DAY),
        Column("按时/逾期", 8, lambda r, src: "逾期" if r["late"] else "按时"),
        Column("进展情况", 60, lambda r, src: r["text"]),
        Column("佐证材料", 30, lambda r, src: "、".join(f["name"] for f in r["files"])),
        Column("报送人", 10, lambda r, src: r["by"]),
    ]
    latest.sort(key=lambda r: (r["period"], r["unit"]))
    return [("单位督办", unit_columns, unit_rows), ("进展报送", report_columns, latest)]


def _day(value) -> date | None:
    return periods.as_date(value) if value else None
