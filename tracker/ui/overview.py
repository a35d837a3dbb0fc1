"""总览: what leadership opens: completion, lights, goals, what is behind, this year against last."""

import streamlit as st

from tracker import charts, progress
from tracker.model import LIGHT_LABELS, PREVIOUS_LOGGED, STATUSES, Light, Status
from tracker.ui import common, shell

rid = common.require_report()
as_of = common.as_of()
db = common.get_db()
ov = common.overview(db, rid)
report = ov.report

st.title("总览")
st.caption(f"{common.plain(common.report_label(report))} · 统计截至 {as_of.isoformat()}")

kpi = ov.kpi
cols = st.columns(3) + st.columns(3)  # two rows of three: wide tiles never cut a number off
cols[0].metric("计划任务", kpi["total"])
cols[1].metric("已完成", kpi["done"])
cols[2].metric("完成率", f"{kpi['share']:.0%}")
cols[3].metric("正常推进", kpi["on_track"])
cols[4].metric("滞后", kpi["behind"])
cols[5].metric("已超期", kpi["overdue"])

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

shell.chart(charts.section_completion(progress.completion_by_section(shown)), key="chart_sections")
left, right = st.columns(2)
with left:
    shell.chart(charts.lights(shown), key="chart_lights")
with right:
    if report["plan_year"]:
        shell.chart(
            charts.progress_over_time(ov.done_dates, len(frame), report["plan_year"], as_of),
            key="chart_progress",
        )

st.subheader("数字目标")
if ov.goals.empty:
    st.info("本报告的工作安排中没有数字目标")
else:
    shell.chart(charts.goals_bullet(ov.goals), key="chart_goals")
    st.dataframe(
        ov.goals.assign(
            进度=[
                f"{progress.fmt_number(p)}/{progress.fmt_number(t)} {u}"
                for p, t, u in zip(ov.goals["progress"], ov.goals["target"], ov.goals["unit"], strict=True)
            ],
            亮灯=ov.goals["light"].map(LIGHT_LABELS),
        )[["activity", "进度", "亮灯", "owner", "due"]].rename(
            columns={"activity": "目标", "owner": "牵头单位", "due": "截止"}
        ),
        hide_index=True,
        key="goals_table",
    )

st.subheader("滞后与超期任务")
behind = shown[shown["light"].isin([Light.RED, Light.YELLOW])]
if behind.empty:
    st.success("没有滞后的任务")
else:
    st.dataframe(
        behind.assign(亮灯=behind["light"].map(LIGHT_LABELS))[
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
        key="behind_table",
    )

st.subheader("活动数量：今年与上年")
if ov.yoy.empty:
    st.info("工作回顾中没有统计数字")
else:
    shell.chart(charts.year_on_year(ov.yoy), key="chart_yoy")
    st.dataframe(
        ov.yoy.assign(
            上年=[
                (progress.fmt_number(v) + (f"（{PREVIOUS_LOGGED}）" if src == PREVIOUS_LOGGED else ""))
                if k
                else charts.UNKNOWN
                for v, k, src in zip(
                    ov.yoy["last_year"], ov.yoy["last_year_known"], ov.yoy["last_year_source"], strict=True
                )
            ],
            今年=[progress.fmt_number(v) for v in ov.yoy["this_year"]],
        )[["category", "上年", "今年", "quote"]].rename(columns={"category": "类别", "quote": "原文"}),
        hide_index=True,
        key="yoy_table",
    )
