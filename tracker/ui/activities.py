"""活动: staff log activities against the categories the review counted."""

import pandas as pd
import streamlit as st

from tracker import progress, store
from tracker.ui import common, shell

rid = common.require_report()
db = common.get_db()
ov = common.overview(db, rid)

st.title("活动")
common.flash()
yoy = ov.yoy
if yoy.empty:
    st.info("工作回顾中没有可作为类别的统计数字")
    st.stop()

labels = {r.id: r.category for r in yoy.itertuples()}
with st.form("activity_form", clear_on_submit=False):  # a refused entry stays to be corrected
    category = st.selectbox("类别", list(labels), format_func=labels.get, key="activity_category")
    c1, c2 = st.columns(2)
    day = c1.date_input("日期", value=common.as_of(), key="activity_date", format="YYYY-MM-DD")
    count = c2.text_input("数量", value="1", key="activity_count")
    note = st.text_input("说明", key="activity_note")
    submitted = st.form_submit_button("登记活动")
if submitted and common.write(db, "activity", category, amount=count, date=day, note=note):
    st.session_state["flash"] = f"已登记：{labels[category]} {count}"
    shell.clear_fields("activity_count", "activity_note")
    st.rerun()

st.subheader("今年已登记")
log = store.events_for(db, report_id=rid, actions=("activity",), limit=200)
if not log:
    st.info("今年还没有登记活动")
else:
    rows = pd.DataFrame(
        {
            "编号": [e["id"] for e in log],
            "类别": [labels.get(e["target_id"], e["target_id"]) for e in log],
            "日期": [e["date"] for e in log],
            "数量": [progress.fmt_number(e["amount"]) for e in log],
            "说明": [e["note"] or "" for e in log],
            "登记人": [e["user"] for e in log],
            "已撤销": ["是" if e["undone_by"] or e["undoes"] else "" for e in log],
        }
    )
    st.dataframe(rows, hide_index=True, key="activity_log")

if store.may(st.session_state["user"]["role"], "category"):
    st.subheader("活动类别名称")
    st.caption(
        "类别来自工作回顾中的统计数字。可改为本单位习惯的名称；改名不影响已登记的活动，且可在“历史”中撤销。"
    )
    with st.form("category_form", clear_on_submit=False):
        renamed = st.selectbox("类别", list(labels), format_func=labels.get, key="category_metric")
        new_name = st.text_input("新名称（留空恢复报告原文）", key="category_name", max_chars=40)
        rename = st.form_submit_button("保存名称")
    if rename and common.write(db, "category", renamed, value=new_name):
        st.session_state["flash"] = "已更新类别名称"
        shell.clear_fields("category_name")
        st.rerun()
