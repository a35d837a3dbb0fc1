"""Plotly figures built from the DataFrames of `tracker.progress`. Never calls streamlit."""

from __future__ import annotations

import html
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from tracker.model import LIGHT_COLOURS, LIGHT_LABELS
from tracker.progress import light_counts

FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"
UNKNOWN = "未公开"
WRAP = 16  # characters a line in an axis label: long section and goal names wrap, never cut
LINE_HEIGHT = 18  # pixels a wrapped label line needs


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "font": {"size": 16}},
        font={"family": FONT},
        height=height,
        margin={"l": 10, "r": 30, "t": 80, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
        plot_bgcolor="white",
        separators=".,",
    )
    # labels take the room they need: plotly cuts them at the plot's edge otherwise
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def text(value) -> str:
    """Text from a document or a person, escaped: plotly reads <a>, <b>, <br> in data as markup."""
    return html.escape(str(value), quote=False)


def wrap(value, width: int = WRAP) -> str:
    """An escaped label broken into lines of `width` characters with <br> (split first, then each
    piece escaped, so an entity such as &lt; is never cut in two)."""
    raw = str(value)
    pieces = [raw[i : i + width] for i in range(0, len(raw), width)] or [""]
    if len(pieces) > 1 and len(pieces[-1]) <= 2:  # no line of a lone "）": the last line takes it
        pieces[-2:] = [pieces[-2] + pieces[-1]]
    return "<br>".join(text(p) for p in pieces)


def _row_height(labels: list[str], per_row: int) -> int:
    """Height of a bar row: the wrapped label's lines, at least `per_row` pixels."""
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(per_row, LINE_HEIGHT * lines + 12)


def section_completion(by_section: pd.DataFrame) -> go.Figure:
    """Horizontal bars: share of each section's commitments done."""
    names = [f"{r.section}. {r.section_title}" if r.section else "未分组" for r in by_section.itertuples()]
    labels = [wrap(n) for n in names]
    fig = go.Figure(
        go.Bar(
            x=(by_section["share"] * 100).round(1).tolist(),
            y=labels,
            orientation="h",
            text=[f"{d}/{t}" for d, t in zip(by_section["done"], by_section["total"], strict=True)],
            textposition="auto",
            marker_color="#1565c0",
            name="完成率",
            hovertext=[text(n) for n in names],
            hovertemplate="%{hovertext}<br>完成率 %{x:.1f}%<extra></extra>",
        )
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%", gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "各部分完成情况", 100 + _row_height(labels, 45) * max(1, len(labels)))


def goals_bullet(goals: pd.DataFrame) -> go.Figure:
    """Bullet chart: each goal's progress as a share of its target, with the calendar's pace marked."""
    labels = [
        wrap(f"{a}（{_num(t)}{u}）")
        for a, t, u in zip(goals["activity"], goals["target"], goals["unit"], strict=True)
    ]
    share = [0.0 if s is None or pd.isna(s) else min(150.0, 100 * s) for s in goals["share"]]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[100] * len(labels),
            y=labels,
            orientation="h",
            marker_color="#eceff1",
            name="目标",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Bar(
            x=share,
            y=labels,
            orientation="h",
            width=0.45,
            marker_color=[LIGHT_COLOURS[light] for light in goals["light"]],
            text=[
                text(f"{_num(p)}/{_num(t)}{u}")
                for p, t, u in zip(goals["progress"], goals["target"], goals["unit"], strict=True)
            ],
            textposition="auto",
            name="已完成",
            customdata=[LIGHT_LABELS[light] for light in goals["light"]],
            hovertemplate="%{y}<br>完成 %{x:.0f}%（%{customdata}）<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=(goals["expected"] * 100).round(1).tolist(),
            y=labels,
            mode="markers",
            marker={"symbol": "line-ns-open", "size": 22, "line": {"width": 3}, "color": "#37474f"},
            name="序时进度",
            hovertemplate="%{y}<br>序时进度 %{x:.0f}%<extra></extra>",
        )
    )
    if "verified" in goals and goals["verified"].fillna(0).gt(0).any():
        fig.add_trace(
            go.Scatter(
                x=[
                    min(150.0, 100 * v / t) if t and v is not None and not pd.isna(v) else 0
                    for v, t in zip(goals["verified"], goals["target"], strict=True)
                ],
                y=labels,
                mode="markers",
                marker={"symbol": "diamond", "size": 11, "color": "#263238"},
                name="已核实",
                hovertemplate="%{y}<br>已核实 %{x:.0f}%<extra></extra>",
            )
        )
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(range=[0, max(105, max(share, default=0) + 5)], ticksuffix="%", gridcolor="#eee")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, "数字目标完成情况", 130 + _row_height(labels, 50) * max(1, len(labels)))


def year_on_year(yoy: pd.DataFrame) -> go.Figure:
    """Horizontal grouped bars, one category a row: last year's reported count, this year's logged
    count, and the pace marker (last year × share of the year elapsed).

    A redacted count of last year has no bar but the label 未公开.
    """
    labels = [wrap(c) for c in yoy["category"]]
    known = yoy["last_year_known"].tolist()
    last = [v if k else 0 for v, k in zip(yoy["last_year"], known, strict=True)]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            y=labels,
            x=last,
            orientation="h",
            name="上年报告数",
            marker_color="#90a4ae",
            hovertemplate="%{y}<br>上年报告数 %{text}<extra></extra>",
            text=[f"{v:g}" if k else UNKNOWN for v, k in zip(last, known, strict=True)],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=yoy["this_year"].tolist(),
            orientation="h",
            name="今年已登记",
            marker_color="#1565c0",
            hovertemplate="%{y}<br>今年已登记 %{x:g}<extra></extra>",
            text=[f"{v:g}" for v in yoy["this_year"]],
            textposition="outside",
            cliponaxis=False,
        )
    )
    pace = [None if p is None or pd.isna(p) else round(p, 1) for p in yoy["pace"]]
    fig.add_trace(
        go.Scatter(
            y=labels,
            x=pace,
            mode="markers",
            name="按上年同期进度",
            hovertemplate="%{y}<br>按上年同期进度 %{x:g}<extra></extra>",
            marker={"symbol": "line-ns-open", "size": 18, "line": {"width": 3}, "color": "#e65100"},
        )
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(gridcolor="#eee", rangemode="tozero")
    largest = max([*last, *yoy["this_year"].tolist(), *[p for p in pace if p is not None]], default=0)
    if largest < 5:  # counts are whole: no 0.5 ticks when every count is small
        fig.update_xaxes(dtick=1, range=[0, max(1, largest) * 1.2])
    return _layout(fig, "活动数量同比（上年 / 今年）", 140 + _row_height(labels, 52) * max(1, len(labels)))


def lights(frame: pd.DataFrame) -> go.Figure:
    """One stacked bar: commitments by the five lights (progress.light_counts)."""
    counts = light_counts(frame)
    fig = go.Figure()
    for light, label in LIGHT_LABELS.items():
        n = counts[light]
        fig.add_trace(
            go.Bar(
                x=[n],
                y=["任务"],
                orientation="h",
                name=f"{label} {n}",
                marker_color=LIGHT_COLOURS[light],
                text=[n] if n else None,
                hovertemplate=f"{label} %{{x}}项<extra></extra>",
            )
        )
    fig.update_yaxes(visible=False)
    fig.update_xaxes(visible=False)  # the counts stand on the bars and in the legend
    fig = _layout(fig, "亮灯情况", 200)
    # five entries wrap on a narrow column: the legend goes under the bar, never over the title
    fig.update_layout(
        barmode="stack",
        showlegend=True,
        legend={"traceorder": "normal", "orientation": "h", "x": 0, "y": -0.1, "yanchor": "top"},
        margin={"b": 60},
    )
    return fig


def progress_over_time(done_dates: list[str], total: int, plan_year: int, today: date) -> go.Figure:
    """Cumulative commitments done over the plan year against the even pace line."""
    start, end = date(plan_year, 1, 1), date(plan_year, 12, 31)
    # every commitment done now counts, as in the tiles: one marked done before the year starts counts
    # from its start, one marked after the as-of date counts at that date
    first, last = start.isoformat(), min(today, end).isoformat()
    days = sorted(max(first, min(d[:10], last)) for d in done_dates if d)
    xs = [start.isoformat()] + days + [min(today, end).isoformat()]
    ys = [0] + list(range(1, len(days) + 1)) + [len(days)]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="lines",
            line_shape="hv",
            name="累计完成",
            line={"color": "#1565c0"},
            hovertemplate="%{x|%Y-%m-%d}<br>累计完成 %{y}项<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[start.isoformat(), end.isoformat()],
            y=[0, total],
            mode="lines",
            name="均衡进度",
            hovertemplate="%{x|%Y-%m-%d}<br>均衡进度 %{y:.1f}项<extra></extra>",
            line={"dash": "dash", "color": "#90a4ae"},
        )
    )
    fig.update_yaxes(range=[0, max(1, total) * 1.05], gridcolor="#eee", ticklabelstandoff=6)
    fig.update_xaxes(range=[start.isoformat(), end.isoformat()], tickformat="%-m月", hoverformat="%Y-%m-%d")
    return _layout(fig, "完成进度（累计）", 320)


def _num(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:g}"
