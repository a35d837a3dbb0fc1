"""The Word brief for a leadership meeting: KPI figures, the overview's charts (drawn by Chromium
through kaleido, or given as tables when there is none), and what is behind (`export.FORMATS["docx"]`)."""

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
from tracker.model import LIGHT_LABELS, Light
from tracker.review_draft import cn_numeral

BODY_FONT, HEADING_FONT = "仿宋", "黑体"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def report_name(report: dict) -> str:
    return report["org"].strip("*") or report["title"] or report["filename"] or report["id"]


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
                "亮灯": list(progress.labelled(ov.counts)),
                "任务数": list(progress.labelled(ov.counts).values()),
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

    ov = service.overview(db, report_id, as_of)
    report = ov.report
    doc = Document()
    _set_fonts(doc)
    year = f"{report['plan_year']}年" if report["plan_year"] else ""
    doc.add_heading(f"{report_name(report)}{year}工作安排落实情况简报", level=0)
    doc.add_paragraph(
        f"统计截至 {as_of.year}年{as_of.month}月{as_of.day}日（生成于 {date.today().isoformat()}）"
    )
    _summary(doc, ov.kpi)
    _charts(doc, ov, as_of, browser, chart_names)
    _behind(doc, ov.items)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _summary(doc, kpi: dict) -> None:
    doc.add_heading("一、总体情况", level=1)
    counts = progress.labelled(kpi["lights"])
    done, *rest = counts.items()  # 已完成 first, then 正常, 关注, 滞后, 已超期
    doc.add_paragraph(
        f"工作安排共有计划任务{kpi['total']}项，{done[0]}{done[1]}项（{kpi['share']:.0%}），"
        + "，".join(f"{label}{n}项" for label, n in rest)
        + "。"
    )
    figures = {"计划任务": kpi["total"], **counts, "完成率": f"{kpi['share']:.0%}"}
    _table(doc, pd.DataFrame({k: [v] for k, v in figures.items()}))


def _charts(doc, ov: service.Overview, as_of: date, browser: str | None, names: list[str] | None) -> None:
    """Each chart as a picture, or as a table of its figures when no browser can draw it."""
    from docx.shared import Cm

    doc.add_heading("二、图表", level=1)
    chosen = [(CHARTS[n], fig) for n in (names or list(CHARTS)) if (fig := CHARTS[n].figure(ov, as_of))]
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


def behind_title(lights: set) -> str:
    """What the list of commitments behind holds, in words: 已超期任务, 滞后任务 or 滞后与超期任务."""
    names = [name for light, name in ((Light.RED, "滞后"), (Light.OVERDUE, "超期")) if light in lights]
    return ("与".join(names) or "滞后") + "任务"


def _behind(doc, frame: pd.DataFrame) -> None:
    """三、 the commitments behind (滞后, 已超期), most urgent first; then those to watch (关注)."""
    behind = progress.by_urgency(frame[frame["light"].isin([Light.OVERDUE, Light.RED])])
    doc.add_heading(f"三、{behind_title(set(behind['light']))}", level=1)
    if behind.empty:
        doc.add_paragraph("没有滞后或超期的任务。")
    else:
        counts = progress.labelled(progress.light_counts(behind))
        said = "，".join(f"{label}{n}项" for label, n in counts.items() if n)
        doc.add_paragraph(f"共{len(behind)}项（{said}），请牵头单位抓紧推进：")
        _table(doc, _rows(behind))
    watch = frame[frame["light"] == Light.YELLOW]
    doc.add_heading("四、需关注的任务", level=1)
    if watch.empty:
        doc.add_paragraph("没有需关注的任务。")
    else:
        doc.add_paragraph(f"共{len(watch)}项任务亮关注灯（进度略慢于序时，或临近截止日期）：")
        _table(doc, _rows(watch))


def _rows(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "部分": [cn_numeral(int(s)) if s else "" for s in frame["section"]],
            "任务": frame["title"].tolist(),
            "状态": frame["effective_status"].tolist(),
            "亮灯": [LIGHT_LABELS[x] for x in frame["light"]],
            "牵头单位": [o or "未指定" for o in frame["owner"]],
            "截止日期": frame["due"].tolist(),
        }
    )
