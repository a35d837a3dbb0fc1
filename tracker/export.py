"""Exports of one report: the Excel workbook (here), the Word brief for a leadership meeting
(`word_brief`) and the draft of next year's review (`review_draft`).

Each writer returns bytes so the UI can hand them to st.download_button and the CLI can write them
to a file. FORMATS is the registry both use.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pandas as pd

from tracker import service, store
from tracker.dates import to_date, to_local
from tracker.model import BOUND_LABELS, LIGHT_LABELS
from tracker.review_draft import draft
from tracker.word_brief import brief

# --- Excel --------------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    width: float
    get: Callable  # (record, Sources) -> the cell's value
    fmt: str | None = None  # an Excel number format


@dataclass
class Sources:
    """What cells look up beyond their own record: a report's items and metrics by id, undone events."""

    items: dict
    metrics: dict
    undone: set


DAY, MINUTE, SECOND, SHARE = "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "yyyy-mm-dd hh:mm:ss", "0%"


def _share(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _unit(event: dict, src: Sources) -> str:
    return (src.metrics.get(event["target_id"]) or {}).get("unit", "")


# the four sheets, one column a line: header, width, the cell's value, its number format
TASK_COLUMNS = [
    Column("部分", 6, lambda r, src: r.section),
    Column("部分标题", 30, lambda r, src: r.section_title),
    Column("任务", 36, lambda r, src: r.title),
    Column("状态", 9, lambda r, src: r.status),
    Column("当前状态", 9, lambda r, src: r.effective_status),
    Column("亮灯", 7, lambda r, src: LIGHT_LABELS[r.light]),
    Column("目标完成度", 11, lambda r, src: _share(r.goal_share), SHARE),
    Column("牵头单位", 16, lambda r, src: r.owner),
    Column("配合单位", 16, lambda r, src: r.co_owner),
    Column("截止日期", 12, lambda r, src: to_date(r.due), DAY),
    Column("最近更新（北京时间）", 20, lambda r, src: to_local(r.updated_at), MINUTE),
]
GOAL_COLUMNS = [
    Column("目标", 24, lambda g, src: g.activity),
    Column("原文", 36, lambda g, src: g.quote),
    Column("目标值", 9, lambda g, src: g.target),
    Column("单位", 7, lambda g, src: g.unit),
    Column("界限", 7, lambda g, src: BOUND_LABELS.get(g.bound, "")),
    Column("已完成", 9, lambda g, src: g.progress),
    Column("已核实", 9, lambda g, src: g.verified),
    Column("完成度", 9, lambda g, src: _share(g.share), SHARE),
    Column("序时进度", 9, lambda g, src: float(g.expected), SHARE),
    Column("亮灯", 7, lambda g, src: LIGHT_LABELS[g.light]),
    Column("所属任务", 24, lambda g, src: g.item_title),
    Column("牵头单位", 16, lambda g, src: g.owner),
    Column("截止日期", 12, lambda g, src: to_date(g.due), DAY),
]
ACTIVITY_COLUMNS = [
    Column("编号", 7, lambda e, src: e["id"]),
    Column("类别", 36, lambda e, src: _metric_label(src.metrics.get(e["target_id"]))),
    Column("单位", 7, _unit),
    Column("日期", 12, lambda e, src: to_date(e["date"]), DAY),
    Column("数量", 8, lambda e, src: e["amount"]),
    Column("说明", 30, lambda e, src: e["note"] or ""),
    Column("登记人", 12, lambda e, src: e["user"]),
    Column("登记时间（北京时间）", 20, lambda e, src: to_local(e["at"]), MINUTE),
    Column("撤销", 14, lambda e, src: _undo_label(e, src.undone)),
]
HISTORY_COLUMNS = [
    Column("编号", 7, lambda e, src: e["id"]),
    Column("时间（北京时间）", 20, lambda e, src: to_local(e["at"]), SECOND),
    Column("用户", 12, lambda e, src: e["user"]),
    Column("对象", 36, lambda e, src: _target_label(e, src.items, src.metrics)),
    Column("操作", 10, lambda e, src: store.ACTION_LABELS.get(e["action"], e["action"])),
    Column("原值", 14, lambda e, src: _decode(e["before"])),
    Column("新值", 14, lambda e, src: _decode(e["after"])),
    Column("数量", 8, lambda e, src: e["amount"]),
    Column("日期", 12, lambda e, src: to_date(e["date"]), DAY),
    Column("说明", 30, lambda e, src: e["note"] or ""),
    Column("佐证", 24, lambda e, src: e["evidence"] or ""),
    Column("撤销", 14, lambda e, src: _undo_label(e, src.undone)),
]


def _write_sheet(wb, title: str, columns: list[Column], rows: list[list]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append([c.header for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center")
    for row in rows:
        ws.append(row)
    for i, col in enumerate(columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        if col.fmt:
            for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.number_format = col.fmt
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def _decode(raw):
    import json

    if raw is None:
        return ""
    value = json.loads(raw)
    if isinstance(value, dict):
        return "；".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


def workbook(db: store.Database, report_id: str, as_of: date) -> bytes:
    """The report's commitments, numeric goals, activity log and history as an .xlsx file."""
    from openpyxl import Workbook

    ov = service.overview(db, report_id, as_of)
    metrics = {m["id"]: m for m in store.report_metrics(db, report_id)}
    items = {it["id"]: it for it in store.report_items(db, report_id, None)}
    events = store.report_events(db, report_id)
    src = Sources(items, metrics, {e["undoes"] for e in events if e["undoes"]})
    sheets = [
        ("任务", TASK_COLUMNS, list(ov.items.itertuples())),
        ("数字目标", GOAL_COLUMNS, list(ov.goals.itertuples())),
        ("活动记录", ACTIVITY_COLUMNS, [e for e in events if e["action"] == "activity"]),
        ("历史", HISTORY_COLUMNS, events),
    ]
    from tracker.export_duban import sheets as duban_sheets

    sheets += duban_sheets(db, report_id, as_of)  # 督办 (issue 16): per unit, and the periods' reports
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, records in sheets:
        _write_sheet(wb, title, columns, [[c.get(r, src) for c in columns] for r in records])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _metric_label(metric: dict | None) -> str:
    if not metric:
        return ""
    return metric["activity"] or metric["quote"]


def _target_label(event: dict, items: dict, metrics: dict) -> str:
    if event["target_type"] == "item" and event["target_id"] in items:
        return items[event["target_id"]]["title"]
    if event["target_type"] == "metric" and event["target_id"] in metrics:
        return _metric_label(metrics[event["target_id"]])
    if event["target_type"] == "report":
        return "报告"
    return event["target_id"]


def _undo_label(event: dict, undone: set) -> str:
    if event["undoes"]:
        return f"撤销 #{event['undoes']}"
    if event["id"] in undone or event.get("undone_by"):
        return f"已被 #{event['undone_by']} 撤销" if event.get("undone_by") else "已撤销"
    return ""


# --- the registry the CLI and the UI share ------------------------------------------------------


@dataclass
class Format:
    label: str  # what the CLI says it wrote
    kind: str  # the file's name after the year: 2023落实台账.xlsx
    suffix: str
    mime: str
    build: Callable[..., bytes]  # (db, report_id, as_of, charts=True) -> bytes


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# a table, one format a line
FORMATS: dict[str, Format] = {
    "xlsx": Format("Excel 工作簿", "落实台账", ".xlsx", XLSX_MIME, lambda db, rid, as_of, charts=True: workbook(db, rid, as_of)),
    "docx": Format("Word 简报", "落实情况简报", ".docx", DOCX_MIME,
                   lambda db, rid, as_of, charts=True: brief(db, rid, as_of, browser="auto" if charts else None)),
    "draft": Format("年终回顾草稿", "工作回顾草稿", ".txt", "text/plain",
                    lambda db, rid, as_of, charts=True: draft(db, rid, as_of).encode("utf-8")),
}  # fmt: skip


def file_name(report: dict, fmt: str) -> str:
    return f"{report['plan_year'] or ''}{FORMATS[fmt].kind}{FORMATS[fmt].suffix}"
