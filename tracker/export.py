"""Exports of one report: the Excel workbook (here), the Word brief for a leadership meeting
(`word_brief`) and the draft of next year's review (`review_draft`).

Each writer returns bytes so the UI can hand them to st.download_button and the CLI can write them
to a file. FORMATS is the registry both use.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from tracker import progress, service, store
from tracker.dates import cn_date, to_date, to_local, utc_stamp, zone_label
from tracker.goal_types import GOAL_TYPE_LABELS
from tracker.model import BOUND_LABELS, LIGHT_COLOURS, LIGHT_LABELS
from tracker.progress import event_day
from tracker.review_draft import draft
from tracker.word_brief import brief
from tracker.word_brief import report_name as org_name  # the workbook names it as the brief does

# --- Excel --------------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    width: float
    get: Callable  # (record, Sources) -> the cell's value
    fmt: str | None = None  # an Excel number format
    light: bool = False  # the cell is a light's word: coloured with the light's colour


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
# times are shown in the one local zone (dates.local_zone), named in the column titles
ZONE = zone_label()

TASK_COLUMNS = [
    Column("部分", 6, lambda r, src: r.section),
    Column("部分标题", 30, lambda r, src: r.section_title),
    Column("任务", 36, lambda r, src: r.title),
    Column("状态", 9, lambda r, src: r.status),
    Column("当前状态", 9, lambda r, src: r.effective_status),
    Column("亮灯", 8, lambda r, src: LIGHT_LABELS[r.light], light=True),
    Column("目标完成度", 11, lambda r, src: _share(r.goal_share), SHARE),
    Column("牵头单位", 16, lambda r, src: r.owner),
    Column("配合单位", 16, lambda r, src: r.co_owner),
    Column("截止日期", 12, lambda r, src: to_date(r.due), DAY),
    Column(f"最近更新（{ZONE}）", 20, lambda r, src: to_local(r.updated_at), MINUTE),
]
GOAL_COLUMNS = [
    Column("目标", 24, lambda g, src: g.activity),
    Column("类型", 7, lambda g, src: GOAL_TYPE_LABELS.get(g.type, "")),
    Column("原文", 36, lambda g, src: g.quote),
    Column("目标值", 9, lambda g, src: g.target),
    Column("单位", 7, lambda g, src: g.unit),
    Column("界限", 7, lambda g, src: BOUND_LABELS.get(g.bound, "")),
    Column("已完成", 9, lambda g, src: _share(g.progress)),
    Column("已核实", 9, lambda g, src: _share(g.verified)),
    Column("完成度", 9, lambda g, src: _share(g.share), SHARE),
    Column("序时进度", 9, lambda g, src: float(g.expected), SHARE),
    Column("亮灯", 8, lambda g, src: LIGHT_LABELS[g.light], light=True),
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
    Column(f"登记时间（{ZONE}）", 20, lambda e, src: to_local(e["at"]), MINUTE),
    Column("撤销", 14, lambda e, src: _undo_label(e, src.undone)),
]
# the first sheet: the date and the KPI figures, the five lights' counts as on the 总览 page
SUMMARY_COLUMNS = [
    Column("项目", 14, lambda r, src: r[0]),
    Column("数值", 14, lambda r, src: r[1]),
]
HISTORY_COLUMNS = [
    Column("编号", 7, lambda e, src: e["id"]),
    Column(f"时间（{ZONE}）", 20, lambda e, src: to_local(e["at"]), SECOND),
    Column("用户", 12, lambda e, src: e["user"]),
    Column("对象", 36, lambda e, src: _target_label(e, src.items, src.metrics)),
    Column("操作", 10, lambda e, src: store.ACTION_LABELS.get(e["action"], e["action"])),
    Column("原值", 20, lambda e, src: _decode(e["before"])),
    Column("新值", 24, lambda e, src: _decode(e["after"])),
    Column("数量", 8, lambda e, src: e["amount"]),
    Column("日期", 12, lambda e, src: to_date(e["date"]), DAY),
    Column("说明", 30, lambda e, src: e["note"] or ""),
    Column("佐证", 24, lambda e, src: e["evidence"] or ""),
    Column("撤销", 14, lambda e, src: _undo_label(e, src.undone)),
]


TITLE_ROWS = 3  # title, organisation and plan year, as-of date and generation time; the header follows
HEADER_ROW = TITLE_ROWS + 1
# text a spreadsheet would run as a formula (issue 17 #2): written as text, shown as typed
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Heading:
    """What the title block of every sheet says."""

    title: str  # 某某单位2023年工作安排落实台账
    org: str
    year: str
    as_of: date
    generated: datetime


def _light_styles() -> dict:
    """The fill and font of each light's word: the light's own colour, white bold text."""
    from openpyxl.styles import Font, PatternFill

    return {
        label: (
            PatternFill("solid", fgColor="FF" + LIGHT_COLOURS[light].lstrip("#").upper()),
            Font(bold=True, color="FFFFFF"),
        )
        for light, label in LIGHT_LABELS.items()
    }


def _put(cell, value) -> None:
    """Set a cell; text is always stored as text, never as a formula, whatever it starts with."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True  # an edit in Excel keeps it text too


def _write_sheet(wb, title: str, columns: list[Column], rows: list[list], heading: Heading) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    last = get_column_letter(len(columns))
    block = [
        f"{heading.title}（{title}）",
        f"单位：{heading.org}　　计划年度：{heading.year}",
        f"统计截至：{cn_date(heading.as_of)}　　生成时间：{heading.generated:%Y-%m-%d %H:%M}",
    ]
    for r, line in enumerate(block, start=1):
        _put(ws.cell(row=r, column=1), line)
        ws.merge_cells(f"A{r}:{last}{r}")
        ws.cell(row=r, column=1).font = Font(bold=r == 1, size=14 if r == 1 else 11)
    ws.row_dimensions[1].height = 24
    for i, col in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i)
        _put(cell, col.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    lights = _light_styles()
    wrap, top = Alignment(vertical="top", wrap_text=True), Alignment(vertical="top")
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for i, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = ws.cell(row=r, column=i)
            _put(cell, value)
            if col.fmt:
                cell.number_format = col.fmt
            if col.light and value in lights:
                cell.fill, cell.font = lights[value]
                cell.alignment = Alignment(horizontal="center", vertical="top")
            else:  # text wraps; every cell of a tall row starts at its top
                cell.alignment = wrap if isinstance(value, str) else top
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        # wrapped text needs a row tall enough: spreadsheet programs do not all grow rows on opening
        lines = max(
            [1] + [_lines(v, c.width) for c, v in zip(columns, row, strict=True) if isinstance(v, str)]
        )
        if lines > 1:
            ws.row_dimensions[r].height = LINE_POINTS * lines + 2
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(1, len(rows))}"
    # print: A4 landscape, all columns on one page's width, the header row on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


LINE_POINTS = 15  # the height of a line of 11 pt text


def _lines(text: str, width: float) -> int:
    """Lines the text takes in a column `width` characters wide (a Chinese character is two)."""
    import math
    import unicodedata

    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, math.ceil(units / max(1.0, width - 1)))


IMPORT_FIELDS = {"filename": "文件", "items": "条目", "metrics": "数字"}


def _decode(raw) -> str:
    """An event's stored value as readable Chinese: an import's file and counts, a correction in
    words, a field's value as is (never raw JSON or "filename=…")."""
    import json

    from tracker import intake

    if raw is None:
        return ""
    value = json.loads(raw)
    if isinstance(value, dict):
        if "op" in value:
            return intake.describe(value)
        if "filename" in value:
            return f"导入文件“{value.get('filename') or '（未命名）'}”：条目{value.get('items', '?')}项，数字{value.get('metrics', '?')}个"
        return "；".join(f"{IMPORT_FIELDS.get(k, k)}：{_plain(v)}" for k, v in value.items())
    return _plain(value)


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    return str(value)


def workbook_title(report: dict) -> str:
    year = f"{report['plan_year']}年" if report["plan_year"] else ""
    return f"{org_name(report)}{year}工作安排落实台账"


def workbook(db: store.Database, report_id: str, as_of: date) -> bytes:
    """The report at `as_of` as an .xlsx file: the KPI figures (概况), commitments, numeric goals, the
    activity log up to that date and the whole history, each sheet under a title block and set up to
    print on A4 landscape."""
    from openpyxl import Workbook

    ov = service.overview(db, report_id, as_of)
    metrics = {m["id"]: m for m in store.report_metrics(db, report_id)}
    items = {it["id"]: it for it in store.report_items(db, report_id, None)}
    events = store.report_events(db, report_id)
    src = Sources(items, metrics, {e["undoes"] for e in events if e["undoes"]})
    report = ov.report
    heading = Heading(
        workbook_title(report),
        org_name(report),
        f"{report['plan_year']}年" if report["plan_year"] else "未注明",
        as_of,
        to_local(utc_stamp()),
    )
    day = as_of.isoformat()
    summary = [
        ("统计截至", day),
        ("计划任务", ov.kpi["total"]),
        *progress.labelled(ov.counts).items(),
        ("完成率", f"{ov.kpi['share']:.0%}"),
    ]
    sheets = [
        ("概况", SUMMARY_COLUMNS, summary),
        ("任务", TASK_COLUMNS, list(ov.items.itertuples())),
        ("数字目标", GOAL_COLUMNS, list(ov.goals.itertuples())),
        (
            "活动记录",
            ACTIVITY_COLUMNS,
            [e for e in events if e["action"] == "activity" and event_day(e) <= day],
        ),
        ("历史", HISTORY_COLUMNS, events),
    ]
    from tracker.export_duban import sheets as duban_sheets

    sheets += duban_sheets(db, report_id, as_of)  # 督办 (issue 16): per unit, and the periods' reports
    wb = Workbook()
    wb.remove(wb.active)
    for title, columns, records in sheets:
        _write_sheet(wb, title, columns, [[c.get(r, src) for c in columns] for r in records], heading)
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
    kind: str  # the file's name after organisation and year: 某某单位2023落实台账_2023-07-01.xlsx
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


_UNSAFE = str.maketrans({c: "_" for c in '\\/:*?"<>|\t\r\n'})


def file_name(report: dict, fmt: str, as_of: date | None = None) -> str:
    """`{organisation}{year}{kind}_{date}{suffix}`: 某某单位2023落实台账_2023-07-01.xlsx; characters a file
    system refuses become "_"."""
    day = f"_{as_of.isoformat()}" if as_of else ""
    name = f"{org_name(report)}{report['plan_year'] or ''}{FORMATS[fmt].kind}{day}"
    return name.translate(_UNSAFE)[:120] + FORMATS[fmt].suffix
