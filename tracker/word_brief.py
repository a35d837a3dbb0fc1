"""The Word brief for a leadership meeting: KPI figures, the overview's charts (drawn by Chromium
through kaleido, or given as tables when there is none), and what is behind (`export.FORMATS["docx"]`).
What it says lives here; how it looks on A4 (fonts, page, tables, paragraphs, printed images) in
`word_style`."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from tracker import charts, dates, goal_types, progress, service, store
from tracker.model import BOUND_LABELS, LIGHT_LABELS, LIGHT_URGENCY, Light
from tracker.review_draft import cn_numeral
from tracker.word_style import (
    TEXT_WIDTH,
    add_table,
    find_browser,
    for_print,
    paragraph,
    render_png,
    set_fonts,
    set_page,
)

ROWS_PER_IMAGE = 14  # categories in one year-on-year image: more would run off the page
# how a 通报 says a light's count: "正常推进1项，需关注8项"; a light not named here is said by its label
LIGHT_PHRASES = {"正常": "正常推进", "关注": "需关注"}


def report_name(report: dict) -> str:
    """The organisation as people name it (redaction stars stripped), else the report's title or file."""
    return (report["org"] or "").strip("*") or report["title"] or report["filename"] or report["id"]


@dataclass
class Chart:
    caption: str
    figure: Callable[[service.Overview, date], go.Figure | None]  # as on the overview page
    table: Callable[[service.Overview, date], pd.DataFrame]  # its figures, when there is no image
    words: Callable[[service.Overview, date], str]  # its figures in a sentence, under the image
    pages: Callable[[service.Overview, date], list[go.Figure]] | None = None  # for A4, when one is too tall

    def printed(self, ov: service.Overview, as_of: date) -> list[go.Figure]:
        """The figure(s) for the brief: one, or several parts of a long one."""
        if self.pages:
            return self.pages(ov, as_of)
        fig = self.figure(ov, as_of)
        return [fig] if fig else []


def _pct(x) -> str:
    return "—" if x is None or pd.isna(x) else f"{x:.0%}"


def _section_names(ov: service.Overview) -> list[str]:
    return [
        f"{cn_numeral(int(s))}、{t}" if s else t or "未分组"
        for s, t in zip(ov.by_section["section"], ov.by_section["section_title"], strict=True)
    ]


def _sections_words(ov: service.Overview, _d: date) -> str:
    parts = [
        f"{name}{done}/{total}项（{_pct(share)}）"
        for name, done, total, share in zip(
            _section_names(ov),
            ov.by_section["done"],
            ov.by_section["total"],
            ov.by_section["share"],
            strict=True,
        )
    ]
    return "各部分完成情况：" + "；".join(parts) + "。"


def _lights_words(ov: service.Overview, _d: date) -> str:
    counts = progress.labelled(ov.counts)
    return "亮灯情况：" + "，".join(f"{label}{n}项" for label, n in counts.items()) + "。"


def monthly(ov: service.Overview, as_of: date) -> pd.DataFrame:
    """Commitments done by month against the even pace: one row a month of the plan year up to `as_of`
    (a done date outside the year counts at its edge, as in the chart)."""
    year = ov.report["plan_year"]
    if not year:
        return pd.DataFrame(columns=["月份", "当月完成", "累计完成", "均衡进度"])
    first, last = date(year, 1, 1), min(as_of, date(year, 12, 31))
    months = list(range(1, (last.month if last >= first else 0) + 1))
    days = [max(first.isoformat(), min(d[:10], last.isoformat())) for d in ov.done_dates if d]
    per_month = [sum(1 for d in days if int(d[5:7]) == m) for m in months]
    total = len(ov.items)
    return pd.DataFrame(
        {
            "月份": [f"{m}月" for m in months],
            "当月完成": per_month,
            "累计完成": [sum(per_month[:i]) for i in range(1, len(months) + 1)],
            "均衡进度": [progress.fmt_number(round(total * m / 12, 1)) for m in months],
        }
    )


def _progress_words(ov: service.Overview, as_of: date) -> str:
    table = monthly(ov, as_of)
    if table.empty:
        return "本年度尚无完成进度。"
    last = table.iloc[-1]
    return (
        f"截至{last['月份']}，累计完成{last['累计完成']}项，按全年均衡推进应完成{last['均衡进度']}项；"
        + "各月完成："
        + "，".join(f"{m}{n}项" for m, n in zip(table["月份"], table["当月完成"], strict=True))
        + "。"
    )


def _goals_table(ov: service.Overview, _d: date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "目标": ov.goals["activity"].tolist(),
            "进度": [
                f"{progress.fmt_number(p)}/{progress.fmt_number(t)}{u}"
                for p, t, u in zip(ov.goals["progress"], ov.goals["target"], ov.goals["unit"], strict=True)
            ],
            "完成度": [_pct(x) for x in ov.goals["share"]],
            "序时进度": [_pct(x) for x in ov.goals["expected"]],
            "亮灯": [LIGHT_LABELS[x] for x in ov.goals["light"]],
        }
    )


def _goals_words(ov: service.Overview, _d: date) -> str:
    parts = [
        f"{a}{progress.fmt_number(p)}/{progress.fmt_number(t)}{u}（完成{_pct(s)}，序时进度{_pct(e)}）"
        for a, p, t, u, s, e in zip(
            ov.goals["activity"], ov.goals["progress"], ov.goals["target"], ov.goals["unit"],
            ov.goals["share"], ov.goals["expected"], strict=True,
        )
    ]  # fmt: skip
    return "数字目标：" + "；".join(parts) + "。"


def _yoy_table(ov: service.Overview, _d: date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "类别": ov.yoy["category"].tolist(),
            "上年报告数": [
                progress.fmt_number(v) if k else charts.UNKNOWN
                for v, k in zip(ov.yoy["last_year"], ov.yoy["last_year_known"], strict=True)
            ],
            "今年已登记": [progress.fmt_number(v) for v in ov.yoy["this_year"]],
        }
    )


def _yoy_words(ov: service.Overview, d: date) -> str:
    table = _yoy_table(ov, d)
    counted, unknown = progress.counted_categories(ov.yoy)
    parts = [
        f"{c}上年{last}、今年{this}"
        for (c, last, this), i in zip(table.itertuples(index=False), ov.yoy.index, strict=True)
        if i in counted.index
    ]
    text = "活动数量：" + "；".join(parts) + "。" if parts else ""
    if not unknown.empty:
        text += f"另有{len(unknown)}个类别上年数未公开、今年尚未登记：{'、'.join(unknown['category'])}（图中未列）。"
    return text


CHARTS: dict[str, Chart] = {
    "sections": Chart(
        "各部分完成情况",
        lambda ov, _d: charts.section_completion(ov.by_section) if not ov.by_section.empty else None,
        lambda ov, _d: pd.DataFrame(
            {
                "部分": _section_names(ov),
                "任务数": ov.by_section["total"].tolist(),
                "已完成": ov.by_section["done"].tolist(),
                "完成率": [_pct(x) for x in ov.by_section["share"]],
            }
        ),
        _sections_words,
    ),
    "lights": Chart(
        "亮灯情况",
        lambda ov, _d: charts.lights(ov.items) if not ov.items.empty else None,
        lambda ov, _d: pd.DataFrame(
            {
                "亮灯": list(progress.labelled(ov.counts)),
                "任务数": list(progress.labelled(ov.counts).values()),
            }
        ),
        _lights_words,
    ),
    "progress": Chart(
        "完成进度（累计）",
        lambda ov, d: (
            charts.progress_over_time(ov.done_dates, len(ov.items), ov.report["plan_year"], d)
            if ov.report["plan_year"]
            else None
        ),
        monthly,
        _progress_words,
    ),
    "goals": Chart(
        "数字目标完成情况",
        lambda ov, _d: charts.goals_bullet(ov.goals) if not ov.goals.empty else None,
        _goals_table,
        _goals_words,
    ),
    "yoy": Chart(
        "活动数量同比（上年 / 今年）",
        lambda ov, _d: charts.year_on_year(ov.yoy) if not ov.yoy.empty else None,
        _yoy_table,
        _yoy_words,
        lambda ov, _d: [
            charts.year_on_year(counted.iloc[i : i + ROWS_PER_IMAGE])
            for counted in [progress.counted_categories(ov.yoy)[0]]
            for i in range(0, len(counted), ROWS_PER_IMAGE)
        ],
    ),
}


def brief(
    db: store.Database,
    report_id: str,
    as_of: date,
    browser: str | None = "auto",
    chart_names: list[str] | None = None,
) -> bytes:
    """The Word brief: title, organisation and as-of date; the overall figures as a 落实情况通报
    would put them; each numeric goal in words; the lights; what is behind; then the charts.

    `browser`: "auto" finds Chromium (find_browser) and says once if there is none; a path uses that
    binary; None asks for no images (the charts' figures come as tables, and no browser is
    mentioned). `chart_names` picks from CHARTS (all by default).
    """
    from docx import Document

    ov = service.overview(db, report_id, as_of)
    report = ov.report
    doc = Document()
    set_fonts(doc)
    set_page(doc)
    year = f"{report['plan_year']}年" if report["plan_year"] else ""
    doc.add_heading(f"{report_name(report)}{year}工作安排落实情况简报", level=0)
    paragraph(doc, report_name(report), indent=False, centred=True)
    paragraph(
        doc,
        f"统计截至 {dates.cn_date(as_of)}（生成于 {dates.local_today().isoformat()}）",
        indent=False,
        centred=True,
    )
    doc.add_heading("一、总体情况", level=1)
    paragraph(doc, overall(ov, as_of))
    _lights(doc, ov)
    doc.add_heading("二、数字目标完成情况", level=1)
    _goals(doc, ov.goals)
    doc.add_heading("三、需抓紧推进的任务", level=1)
    _behind(doc, ov.items)
    _charts(doc, ov, as_of, browser, chart_names)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def overall(ov: service.Overview, as_of: date) -> str:
    """The opening of a 落实情况通报: "截至6月30日，12项工作任务已完成1项，正常推进1项，需关注8项，
    滞后2项。" with every light the model has, then the completion rate and the goals."""
    kpi = ov.kpi
    counts = progress.labelled(ov.counts)
    done_label = LIGHT_LABELS[Light.DONE]
    parts = [f"{LIGHT_PHRASES.get(label, label)}{n}项" for label, n in counts.items() if label != done_label]
    text = f"截至{as_of.month}月{as_of.day}日，{kpi['total']}项工作任务已完成{counts[done_label]}项"
    text += "，" + "，".join(parts) if parts else ""
    text += f"，完成率{kpi['share']:.0%}。"
    goals = ov.goals
    if not goals.empty:
        on_pace = sum(1 for s, e in zip(goals["share"], goals["expected"], strict=True) if (s or 0) >= e)
        text += f"{len(goals)}项数字目标中，{on_pace}项达到序时进度。"
    return text


def goal_sentence(g) -> str:
    """ "建设委员工作室目标10家，已完成3家，完成30%，序时进度49%" (and the light, the owner); a level or a
    ceiling is stated by its latest value ("当前5.2%"), a milestone as done or not."""
    bound = BOUND_LABELS.get(g.bound, "") if g.bound else ""
    unit = g.unit or ""
    about = "左右" if g.approx and not bound else ""
    text = f"{g.activity}目标{progress.fmt_number(g.target)}{unit}{about}{bound}，"
    kind = g.type
    if goal_types.asks_current_value(kind):
        now = "尚未填报当前值" if g.progress is None else f"当前{progress.fmt_number(g.progress)}{unit}"
        text += now
    elif kind == goal_types.MILESTONE:
        text += "已完成" if g.share is not None and g.share >= 1 else "尚未完成"
    else:
        text += (
            f"已完成{progress.fmt_number(g.progress)}{unit}，完成{_pct(g.share)}，序时进度{_pct(g.expected)}"
        )
    if g.verified:
        text += f"，其中已核实{progress.fmt_number(g.verified)}{unit}"
    text += f"，{LIGHT_LABELS[g.light]}"
    if g.owner:
        text += f"（牵头单位：{g.owner}）"
    return text + "。"


def _goals(doc, goals: pd.DataFrame) -> None:
    if goals.empty:
        paragraph(doc, "本年度工作安排中没有数字目标。")
        return
    for i, g in enumerate(goals.itertuples(), start=1):
        paragraph(doc, f"{i}. {goal_sentence(g)}")


def _lights(doc, ov: service.Overview) -> None:
    counts = progress.labelled(ov.counts)
    total = sum(counts.values())
    paragraph(doc, "各项任务亮灯情况如下：")
    add_table(
        doc,
        pd.DataFrame(
            {
                "亮灯": list(counts),
                "任务数": list(counts.values()),
                "占比": [f"{n / total:.0%}" if total else "—" for n in counts.values()],
            }
        ),
    )


def _behind(doc, frame: pd.DataFrame) -> None:
    """Every commitment whose light is neither done nor on track, with owner and due date."""
    calm = {Light.DONE, Light.GREEN}
    behind = frame[~frame["light"].isin(calm)] if not frame.empty else frame
    if behind.empty:
        paragraph(doc, "没有需关注或滞后的任务。")
        return
    # worst first (model.LIGHT_URGENCY), then by due date and section
    behind = behind.assign(_u=behind["light"].map(LIGHT_URGENCY)).sort_values(["_u", "due", "section"])
    counts = progress.labelled(progress.light_counts(behind))
    said = "，".join(f"{label}{n}项" for label, n in counts.items() if n)
    paragraph(doc, f"共{len(behind)}项任务需抓紧推进（{said}），请牵头单位对照截止日期落实：")
    rows = {
        "部分": [cn_numeral(int(s)) if s else "" for s in behind["section"]],
        "任务": behind["title"].tolist(),
        "状态": behind["effective_status"].tolist(),
        "亮灯": [LIGHT_LABELS[x] for x in behind["light"]],
        "牵头单位": [o or "未指定" for o in behind["owner"]],
        "截止日期": [d or "未定" for d in behind["due"]],
    }
    add_table(doc, pd.DataFrame(rows))


def _charts(doc, ov: service.Overview, as_of: date, browser: str | None, names: list[str] | None) -> None:
    """Each chart as a picture with its figures in words beside it; as a table when there is no image."""
    from docx.shared import Mm

    chosen = [(CHARTS[n], figs) for n in (names or list(CHARTS)) if (figs := CHARTS[n].printed(ov, as_of))]
    if not chosen:
        return
    doc.add_heading("四、统计图表" if browser else "四、分项统计", level=1)
    path = find_browser() if browser == "auto" else browser
    images: list[bytes] = []
    if browser and (path is None or not Path(path).is_file()):
        paragraph(doc, "本机未找到可用的浏览器（Chromium），无法生成图表图片，以下以表格列出图表数据。")
    elif browser:
        try:
            images = render_png([for_print(fig) for _, figs in chosen for fig in figs], path)
        except Exception as e:  # noqa: BLE001 - kaleido/choreographer raise many kinds; the brief still goes out
            paragraph(doc, f"图表图片生成失败（{type(e).__name__}），以下以表格列出图表数据。")
    pictures = iter(images)
    for i, (chart, figs) in enumerate(chosen, start=1):
        if images:
            for part, _ in enumerate(figs, start=1):
                doc.add_picture(io.BytesIO(next(pictures)), width=Mm(TEXT_WIDTH))
                more = f"（{part}/{len(figs)}）" if len(figs) > 1 else ""
                paragraph(doc, f"图{i}　{chart.caption}{more}", indent=False, style="Caption", centred=True)
            paragraph(doc, chart.words(ov, as_of))
        else:
            paragraph(doc, f"表{i}　{chart.caption}", indent=False, style="Caption", centred=True)
            add_table(doc, chart.table(ov, as_of))
