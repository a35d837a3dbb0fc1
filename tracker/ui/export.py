"""导出: the meeting's files (Excel, Word, year-end draft) and next year's review against this year."""

from datetime import date
from pathlib import Path

import streamlit as st

from tracker import export, reconcile, store
from tracker.errors import TrackerError
from tracker.ui import common


@st.cache_data(ttl=300, max_entries=16, show_spinner=False)
def load_file(path: Path, report_id: str, fmt: str, as_of: date, version: tuple) -> bytes:
    return export.FORMATS[fmt].build(common.get_db(), report_id, as_of)  # path, version: the cache key


rid = common.require_report()
as_of = common.as_of()
db = common.get_db()
version = common.service.data_version(db)
report = store.get_report(db, rid)

st.title("导出")
st.caption(f"{common.plain(common.report_label(report))} · 统计截至 {as_of.isoformat()}")

st.subheader("下载")
c1, c2, c3 = st.columns(3)
with c1:
    st.markdown("**Excel 台账**：任务、数字目标、活动记录、历史四张表，亮灯着色，A4 横向可直接打印")
    st.download_button(
        "下载 Excel",
        data=load_file(store.db_path(), rid, "xlsx", as_of, version),
        file_name=export.file_name(report, "xlsx", as_of),
        mime=export.FORMATS["xlsx"].mime,
        on_click="ignore",
        key="download_xlsx",
    )
with c2:
    st.markdown("**Word 简报**：A4 公文格式，总体情况、数字目标、亮灯、滞后任务和图表（生成图表约需 20 秒）")
    brief_key = (rid, as_of, version)
    if st.button("生成 Word 简报", key="make_brief"):
        with st.spinner("正在生成简报和图表……"):
            st.session_state["brief"] = (brief_key, export.FORMATS["docx"].build(db, rid, as_of))
    made = st.session_state.get("brief")
    if made and made[0] == brief_key:
        st.download_button(
            "下载 Word 简报",
            data=made[1],
            file_name=export.file_name(report, "docx", as_of),
            mime=export.FORMATS["docx"].mime,
            on_click="ignore",
            key="download_docx",
        )
with c3:
    st.markdown("**年终工作回顾草稿**：今年登记的活动数量，按回顾的写法成文")
    draft = load_file(store.db_path(), rid, "draft", as_of, version)
    st.download_button(
        "下载草稿",
        data=draft,
        file_name=export.file_name(report, "draft", as_of),
        mime=export.FORMATS["draft"].mime,
        on_click="ignore",
        key="download_draft",
    )
with st.expander("预览年终工作回顾草稿"):
    st.text_area("草稿", draft.decode("utf-8"), height=360, key="draft_preview")

st.subheader("与下一年度报告核对")
others = [r for r in common.load_reports(store.db_path(), version) if r["id"] != rid]
if not others:
    st.info("导入下一年度的工作报告后，可在此核对其工作回顾与本年度计划、登记数字是否一致。")
    st.stop()
ids = [r["id"] for r in others]
labels = {r["id"]: common.report_label(r) for r in others}
suggested = store.next_report_id(db, rid)
next_id = st.selectbox(
    "下一年度报告",
    ids,
    index=ids.index(suggested) if suggested in ids else 0,
    format_func=labels.get,
    key="reconcile_next",
)
try:
    result = reconcile.reconcile(db, rid, next_id)
except TrackerError as e:
    st.error(common.plain(str(e)))
    st.stop()

s = result.summary()
m1, m2, m3, m4 = st.columns(4)
m1.metric("报告提及的任务", f"{s['mentioned']}/{s['plan_items']}")
m2.metric("数字一致", s["agree"])
m3.metric("数字不一致", s["differ"])
m4.metric("本系统未登记", s["unlogged"])

st.markdown("**数字核对**（本系统登记 与 报告所述）")
if result.counts:
    st.dataframe(result.counts_frame(), hide_index=True, key="rec_counts")
else:
    st.info("报告的工作回顾中没有可核对的数字")
st.markdown("**报告提及（视为已完成）的任务**")
if result.mentioned:
    st.dataframe(result.mentioned_frame(), hide_index=True, key="rec_mentioned_table")
else:
    st.info("报告没有提及本年度的计划任务")
st.markdown("**报告未提及的任务**")
if result.unmentioned:
    st.dataframe(result.unmentioned_frame(), hide_index=True, key="rec_unmentioned_table")
else:
    st.success("每项计划任务都在报告中提及")
