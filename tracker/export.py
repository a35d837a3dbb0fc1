"""Exports of one report: the Excel workbook, the Word brief for a leadership meeting, and the draft
of next year's review (plain text).

Each writer returns bytes (or str for the draft) so the UI can hand them to st.download_button and
the CLI can write them to a file. FORMATS is the registry both use (the draft is written by
`review_draft`).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from tracker import charts, progress, service, store
from tracker.dates import to_date, to_local
from tracker.model import BOUND_LABELS, LIGHT_LABELS, Light
from tracker.review_draft import cn_numeral, draft

BODY_FONT, HEADING_FONT = "仿宋", "黑体"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


# --- shared helpers -----------------------------------------------------------------------------


def report_name(report: dict) -> str:
    return report["org"].strip("*") or report["title"] or report["filename"] or report["id"]


# --- Excel --------------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    width: float
    fmt: str | None = None  # an Excel number format


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
    wb = Workbook()
    wb.remove(wb.active)

    frame = ov.items
    _write_sheet(
        wb,
        "任务",
        [
            Column("部分", 6),
            Column("部分标题", 30),
            Column("任务", 36),
            Column("状态", 9),
            Column("当前状态", 9),
            Column("亮灯", 7),
            Column("目标完成度", 11, "0%"),
            Column("牵头单位", 16),
            Column("配合单位", 16),
            Column("截止日期", 12, "yyyy-mm-dd"),
            Column("最近更新（北京时间）", 20, "yyyy-mm-dd hh:mm"),
        ],
        [
            [
                r.section,
                r.section_title,
                r.title,
                r.status,
                r.effective_status,
                LIGHT_LABELS[r.light],
                None if pd.isna(r.goal_share) else float(r.goal_share),
                r.owner,
                r.co_owner,
                to_date(r.due),
                to_local(r.updated_at),
            ]
            for r in frame.itertuples()
        ],
    )

    goals = ov.goals
    _write_sheet(
        wb,
        "数字目标",
        [
            Column("目标", 24),
            Column("原文", 36),
            Column("目标值", 9),
            Column("单位", 7),
            Column("界限", 7),
            Column("已完成", 9),
            Column("已核实", 9),
            Column("完成度", 9, "0%"),
            Column("序时进度", 9, "0%"),
            Column("亮灯", 7),
            Column("所属任务", 24),
            Column("牵头单位", 16),
            Column("截止日期", 12, "yyyy-mm-dd"),
        ],
        [
            [
                g.activity,
                g.quote,
                g.target,
                g.unit,
                BOUND_LABELS.get(g.bound, ""),
                g.progress,
                g.verified,
                None if g.share is None or pd.isna(g.share) else float(g.share),
                float(g.expected),
                LIGHT_LABELS[g.light],
                g.item_title,
                g.owner,
                to_date(g.due),
            ]
            for g in goals.itertuples()
        ],
    )

    undone = {e["undoes"] for e in events if e["undoes"]}
    log = [e for e in events if e["action"] == "activity"]
    _write_sheet(
        wb,
        "活动记录",
        [
            Column("编号", 7),
            Column("类别", 36),
            Column("单位", 7),
            Column("日期", 12, "yyyy-mm-dd"),
            Column("数量", 8),
            Column("说明", 30),
            Column("登记人", 12),
            Column("登记时间（北京时间）", 20, "yyyy-mm-dd hh:mm"),
            Column("撤销", 14),
        ],
        [
            [
                e["id"],
                _metric_label(metrics.get(e["target_id"])),
                (metrics.get(e["target_id"]) or {}).get("unit", ""),
                to_date(e["date"]),
                e["amount"],
                e["note"] or "",
                e["user"],
                to_local(e["at"]),
                _undo_label(e, undone),
            ]
            for e in log
        ],
    )

    _write_sheet(
        wb,
        "历史",
        [
            Column("编号", 7),
            Column("时间（北京时间）", 20, "yyyy-mm-dd hh:mm:ss"),
            Column("用户", 12),
            Column("对象", 36),
            Column("操作", 10),
            Column("原值", 14),
            Column("新值", 14),
            Column("数量", 8),
            Column("日期", 12, "yyyy-mm-dd"),
            Column("说明", 30),
            Column("佐证", 24),
            Column("撤销", 14),
        ],
        [
            [
                e["id"],
                to_local(e["at"]),
                e["user"],
                _target_label(e, items, metrics),
                store.ACTION_LABELS.get(e["action"], e["action"]),
                _decode(e["before"]),
                _decode(e["after"]),
                e["amount"],
                to_date(e["date"]),
                e["note"] or "",
                e["evidence"] or "",
                _undo_label(e, undone),
            ]
            for e in events
        ],
    )
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


# --- Word brief ---------------------------------------------------------------------------------


@dataclass
class Chart:
    caption: str
    figure: Callable[[service.Overview, date], go.Figure | None]
    table: Callable[[service.Overview], pd.DataFrame]


def _pct(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{x:.0%}"


CHARTS: dict[str, Chart] = {
    "sections": Chart(
        "各部分完成情况",
        lambda ov, _d: charts.section_completion(ov.by_section) if not ov.by_section.empty else None,
        lambda ov: pd.DataFrame(
            {
                "部分": [
                    f"{cn_numeral(int(s))}、{t}" if s else t or "未分组"
                    for s, t in zip(ov.by_section["section"], ov.by_section["section_title"], strict=True)
                ],
                "任务数": ov.by_section["total"].tolist(),
                "已完成": ov.by_section["done"].tolist(),
                "完成率": [_pct(x) for x in ov.by_section["share"]],
            }
        ),
    ),
    "lights": Chart(
        "亮灯情况",
        lambda ov, _d: charts.lights(ov.items) if not ov.items.empty else None,
        lambda ov: pd.DataFrame(
            {
                "亮灯": list(LIGHT_LABELS.values()),
                "任务数": [int((ov.items["light"] == k).sum()) for k in LIGHT_LABELS],
            }
        ),
    ),
    "progress": Chart(
        "完成进度（累计）",
        lambda ov, d: (
            charts.progress_over_time(ov.done_dates, len(ov.items), ov.report["plan_year"], d)
            if ov.report["plan_year"]
            else None
        ),
        lambda ov: pd.DataFrame({"完成日期": sorted(x[:10] for x in ov.done_dates)}),
    ),
    "goals": Chart(
        "数字目标完成情况",
        lambda ov, _d: charts.goals_bullet(ov.goals) if not ov.goals.empty else None,
        lambda ov: pd.DataFrame(
            {
                "目标": ov.goals["activity"].tolist(),
                "进度": [
                    f"{progress.fmt_number(p)}/{progress.fmt_number(t)}{u}"
                    for p, t, u in zip(
                        ov.goals["progress"], ov.goals["target"], ov.goals["unit"], strict=True
                    )
                ],
                "完成度": [_pct(x) for x in ov.goals["share"]],
                "序时进度": [_pct(x) for x in ov.goals["expected"]],
                "亮灯": [LIGHT_LABELS[x] for x in ov.goals["light"]],
            }
        ),
    ),
    "yoy": Chart(
        "活动数量同比（上年 / 今年）",
        lambda ov, _d: charts.year_on_year(ov.yoy) if not ov.yoy.empty else None,
        lambda ov: pd.DataFrame(
            {
                "类别": ov.yoy["category"].tolist(),
                "上年报告数": [
                    progress.fmt_number(v) if k else charts.UNKNOWN
                    for v, k in zip(ov.yoy["last_year"], ov.yoy["last_year_known"], strict=True)
                ],
                "今年已登记": [progress.fmt_number(v) for v in ov.yoy["this_year"]],
            }
        ),
    ),
}


def find_browser() -> str | None:
    """The Chrome/Chromium kaleido can drive: $BROWSER_PATH, else the first one on PATH."""
    env = os.environ.get("BROWSER_PATH")
    if env and Path(env).is_file():
        return env
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_png(figures: list[go.Figure], browser: str, width: int = 900) -> list[bytes]:
    """PNG images of the figures, all drawn in one browser session (about 1-2 s an image)."""
    import kaleido

    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"chart{i}.png" for i in range(len(figures))]
        specs = [
            {
                "fig": fig,
                "path": path,
                "opts": {"format": "png", "width": width, "height": fig.layout.height or 450, "scale": 2},
            }
            for fig, path in zip(figures, paths, strict=True)
        ]
        kaleido.write_fig_from_object_sync(specs, kopts={"path": browser})
        return [p.read_bytes() for p in paths]


def _set_fonts(doc) -> None:
    """Fonts for Chinese text: python-docx's font.name reaches only Latin text, so eastAsia too."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for style_name, font in (
        ("Normal", BODY_FONT),
        ("Title", HEADING_FONT),
        ("Heading 1", HEADING_FONT),
        ("Heading 2", HEADING_FONT),
        ("Caption", BODY_FONT),
    ):
        style = doc.styles[style_name]
        style.font.name = font
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the named one
        rfonts.set(qn("w:eastAsia"), font)
    doc.styles["Normal"].font.size = Pt(12)


def _table(doc, frame: pd.DataFrame) -> None:
    table = doc.add_table(rows=1, cols=len(frame.columns))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, frame.columns, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in frame.itertuples(index=False):
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def brief(
    db: store.Database,
    report_id: str,
    as_of: date,
    browser: str | None = "auto",
    chart_names: list[str] | None = None,
) -> bytes:
    """The Word brief: title and date, KPI figures, the overview's charts, goals, what is behind.

    `browser`: "auto" finds Chromium (find_browser), a path uses that binary, None draws no images:
    the brief then says so and gives each chart's figures as a table. `chart_names` picks from CHARTS
    (all by default).
    """
    from docx import Document
    from docx.shared import Cm

    ov = service.overview(db, report_id, as_of)
    report = ov.report
    doc = Document()
    _set_fonts(doc)
    year = f"{report['plan_year']}年" if report["plan_year"] else ""
    doc.add_heading(f"{report_name(report)}{year}工作安排落实情况简报", level=0)
    doc.add_paragraph(
        f"统计截至 {as_of.year}年{as_of.month}月{as_of.day}日（生成于 {date.today().isoformat()}）"
    )

    kpi = ov.kpi
    doc.add_heading("一、总体情况", level=1)
    doc.add_paragraph(
        f"工作安排共有计划任务{kpi['total']}项，已完成{kpi['done']}项（{kpi['share']:.0%}），"
        f"正常推进{kpi['on_track']}项，滞后{kpi['behind']}项，已超期{kpi['overdue']}项。"
    )
    _table(
        doc,
        pd.DataFrame(
            {
                "计划任务": [kpi["total"]],
                "已完成": [kpi["done"]],
                "完成率": [f"{kpi['share']:.0%}"],
                "正常推进": [kpi["on_track"]],
                "滞后": [kpi["behind"]],
                "已超期": [kpi["overdue"]],
            }
        ),
    )

    doc.add_heading("二、图表", level=1)
    chosen = [(CHARTS[n], fig) for n in (chart_names or list(CHARTS)) if (fig := CHARTS[n].figure(ov, as_of))]
    path = find_browser() if browser == "auto" else browser
    images: list[bytes] = []
    if path is None or not Path(path).is_file():
        doc.add_paragraph("未找到可用的浏览器（Chromium），无法生成图表图片，以下以表格列出图表数据。")
    elif chosen:
        try:
            images = render_png([fig for _, fig in chosen], path)
        except Exception as e:  # noqa: BLE001 - kaleido/choreographer raise many kinds; the brief still goes out
            doc.add_paragraph(f"图表图片生成失败（{type(e).__name__}），以下以表格列出图表数据。")
    for i, (chart, _) in enumerate(chosen):
        if images:
            doc.add_picture(io.BytesIO(images[i]), width=Cm(16))
            doc.add_paragraph(f"图{i + 1}　{chart.caption}", style="Caption")
        else:
            doc.add_paragraph(f"表{i + 1}　{chart.caption}", style="Caption")
            _table(doc, chart.table(ov))

    doc.add_heading("三、滞后与超期任务", level=1)
    frame = ov.items
    behind = frame[frame["light"].isin([Light.RED, Light.YELLOW])]
    if behind.empty:
        doc.add_paragraph("没有滞后的任务。")
    else:
        doc.add_paragraph(f"共{len(behind)}项任务滞后或超期，请牵头单位抓紧推进：")
        _table(
            doc,
            pd.DataFrame(
                {
                    "部分": [cn_numeral(int(s)) if s else "" for s in behind["section"]],
                    "任务": behind["title"].tolist(),
                    "状态": behind["effective_status"].tolist(),
                    "亮灯": [LIGHT_LABELS[x] for x in behind["light"]],
                    "牵头单位": [o or "未指定" for o in behind["owner"]],
                    "截止日期": behind["due"].tolist(),
                }
            ),
        )
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


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
