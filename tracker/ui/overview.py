"""总览: what leadership opens: completion, the five lights, goals, what is behind, this year against last.

Every figure is the report at the sidebar's 统计截至 (service.overview): changing the date shows the
past as the log knew it. Long lists show the most urgent first and keep the rest behind 查看全部.
"""

from datetime import date

import pandas as pd
import streamlit as st

from tracker import charts, progress, service
from tracker.goal_types import GOAL_TYPE_LABELS
from tracker.model import LIGHT_LABELS, PREVIOUS_LOGGED, STATUSES, Light, Status
from tracker.ui import common, shell

# how many rows a list or the goals chart shows before 查看全部
TOP = 15

rid = common.require_report()
as_of = common.as_of()
db = common.get_db()
ov = common.overview(db, rid)
report = ov.report

st.title("总览")
st.caption(f"{common.plain(common.report_label(report))} · 统计截至 {as_of.isoformat()}")

kpi = ov.kpi
counts = progress.labelled(ov.counts)
tiles = [("计划任务", kpi["total"]), *counts.items(), ("完成率", f"{kpi['share']:.0%}")]
cols = st.columns(4) + st.columns(4)  # two rows of four: wide tiles never cut a number off
for col, (label, value) in zip(cols, tiles, strict=False):
    col.metric(label, value)

frame = ov.items
with st.expander("筛选", expanded=False):
    f1, f2, f3 = st.columns(3)
    sections = sorted({(r.section, r.section_title) for r in frame.itertuples()})
    chosen_sections = f1.multiselect(
        "部分", [s for s, _ in sections], format_func=dict(sections).get, key="filter_section"
    )
    owners = sorted({o for o in frame["owner"] if o})
    chosen_owners = f2.multiselect("牵头单位", owners, key="filter_owner")
    statuses = [*STATUSES, Status.OVERDUE]
    chosen_status = f3.multiselect("状态", statuses, key="filter_status")
shown = frame
if chosen_sections:
    shown = shown[shown["section"].isin(chosen_sections)]
if chosen_owners:
    shown = shown[shown["owner"].isin(chosen_owners)]
if chosen_status:
    shown = shown[shown["effective_status"].isin(chosen_status)]

left, right = st.columns(2)
with left:
    shell.chart(shell.figure("lights", shown), key="chart_lights")
with right:
    if report["plan_year"]:
        shell.chart(
            shell.figure("progress_over_time", ov.done_dates, len(frame), report["plan_year"], as_of),
            key="chart_progress",
        )
by_section = progress.completion_by_section(shown)
with st.expander(f"各部分完成情况（{len(by_section)} 个部分）", expanded=len(by_section) <= 8):
    shell.chart(shell.figure("section_completion", by_section), key="chart_sections")


def goals_table(goals: pd.DataFrame, key: str) -> None:
    st.dataframe(
        goals.assign(
            进度=[
                f"{progress.fmt_number(p)}/{progress.fmt_number(t)} {u}"
                for p, t, u in zip(goals["progress"], goals["target"], goals["unit"], strict=True)
            ],
            类型=goals["type"].map(GOAL_TYPE_LABELS),
            亮灯=goals["light"].map(LIGHT_LABELS),
        )[["activity", "类型", "进度", "亮灯", "owner", "due"]].rename(
            columns={"activity": "目标", "owner": "牵头单位", "due": "截止"}
        ),
        hide_index=True,
        key=key,
    )


def items_table(rows: pd.DataFrame, key: str) -> None:
    st.dataframe(
        rows.assign(亮灯=rows["light"].map(LIGHT_LABELS))[
            ["section", "title", "effective_status", "亮灯", "owner", "due"]
        ].rename(
            columns={
                "section": "部分",
                "title": "任务",
                "effective_status": "状态",
                "owner": "牵头单位",
                "due": "截止",
            }
        ),
        hide_index=True,
        key=key,
    )


def top_and_rest(rows: pd.DataFrame, key: str, show) -> None:
    """The first TOP rows, and the rest behind 查看全部 N 项 (N = all of them), never hidden uncounted."""
    show(rows.head(TOP), key)
    if len(rows) > TOP:
        with st.expander(f"查看全部 {len(rows)} 项（以上仅列最紧迫的 {TOP} 项）"):
            show(rows, f"{key}_all")


with st.expander(f"数字目标（{len(ov.goals)} 项）", expanded=True):
    if ov.goals.empty:
        st.info("本报告的工作安排中没有数字目标")
    else:
        urgent = progress.by_urgency(ov.goals)
        shell.chart(shell.figure("goals_bullet", urgent.head(TOP)), key="chart_goals")
        if len(urgent) > TOP:
            st.caption(f"图中为最紧迫的 {TOP} 项目标，共 {len(urgent)} 项，全部见下表“查看全部”。")
        top_and_rest(urgent, "goals_table", goals_table)

behind = progress.by_urgency(shown[shown["light"].isin([Light.OVERDUE, Light.RED])])
title = {
    frozenset(): "滞后与超期任务",
    frozenset({Light.RED}): "滞后任务",
    frozenset({Light.OVERDUE}): "已超期任务",
}.get(frozenset(behind["light"]), "滞后与超期任务")
with st.expander(f"{title}（{len(behind)} 项）", expanded=True):
    if behind.empty:
        st.success("没有滞后或超期的任务")
    else:
        top_and_rest(behind, "behind_table", items_table)

watch = shown[shown["light"] == Light.YELLOW].sort_values("due", kind="stable")
with st.expander(f"需关注的任务（{len(watch)} 项）", expanded=True):
    if watch.empty:
        st.success("没有需关注的任务")
    else:
        st.caption("关注：进度略慢于序时进度，或未开始已过四分之一期限，或距截止日期不足 30 天。")
        top_and_rest(watch, "watch_table", items_table)

yoy = ov.yoy
with st.expander(f"活动数量：今年与上年（{len(yoy)} 个类别）", expanded=True):
    if yoy.empty:
        st.info("工作回顾中没有统计数字")
    else:
        known, unknown = progress.counted_categories(yoy)
        ranked = known.assign(_n=known["last_year"].fillna(0) + known["this_year"]).sort_values(
            "_n", ascending=False, kind="stable"
        )
        if not ranked.empty:
            shell.chart(shell.figure("year_on_year", ranked.head(TOP)), key="chart_yoy")
            if len(ranked) > TOP:
                st.caption(f"图中为数量最多的 {TOP} 个类别，共 {len(ranked)} 个有数字的类别，全部见下表。")
        if not unknown.empty:
            names = "、".join(unknown["category"].head(8))
            more = f"等 {len(unknown)} 个类别" if len(unknown) > 8 else f"共 {len(unknown)} 个类别"
            st.caption(f"上年数未公开、今年尚未登记：{common.plain(names)}{more}（见下表）。")

        def yoy_table(rows: pd.DataFrame, key: str) -> None:
            st.dataframe(
                rows.assign(
                    上年=[
                        (
                            progress.fmt_number(v)
                            + (f"（{PREVIOUS_LOGGED}）" if src == PREVIOUS_LOGGED else "")
                        )
                        if k
                        else charts.UNKNOWN
                        for v, k, src in zip(
                            rows["last_year"], rows["last_year_known"], rows["last_year_source"], strict=True
                        )
                    ],
                    今年=[progress.fmt_number(v) for v in rows["this_year"]],
                )[["category", "上年", "今年", "quote"]].rename(
                    columns={"category": "类别", "quote": "原文"}
                ),
                hide_index=True,
                key=key,
            )

        if len(yoy) <= 2 * TOP:
            yoy_table(yoy, "yoy_table")
        else:
            yoy_table(ranked.drop(columns="_n").head(TOP), "yoy_table")
            with st.expander(f"查看全部 {len(yoy)} 个类别（其中上年数未公开且今年未登记 {len(unknown)} 个）"):
                yoy_table(yoy, "yoy_table_all")

with st.expander("两个日期对比（如一季度末与二季度末）", expanded=False):
    year = report["plan_year"] or as_of.year
    c1, c2 = st.columns(2)
    first = c1.date_input("从", value=date(year, 3, 31), key="compare_from")
    second = c2.date_input("到", value=as_of, key="compare_to")
    if st.toggle("对比", key="compare_on"):
        a, b = service.overview(db, rid, first), service.overview(db, rid, second)
        diff = progress.compare((a.items, a.goals), (b.items, b.goals))
        before, after = progress.labelled(a.counts), progress.labelled(b.counts)
        st.markdown(
            " · ".join(f"{k} {before[k]} → {after[k]}" for k in before)
            + f"　（{first.isoformat()} → {second.isoformat()}）"
        )
        for name, heading, empty in (
            ("slipped", "新出现滞后或变差的任务（亮灯变差）", "没有任务亮灯变差"),
            ("moved", "状态有变化的任务", "没有任务状态变化"),
            ("goals", "数字目标进度变化", "数字目标进度没有变化"),
        ):
            st.markdown(f"**{heading}（{len(diff[name])} 项）**")
            if diff[name].empty:
                st.caption(empty)
            else:
                st.dataframe(diff[name], hide_index=True, key=f"compare_{name}")
