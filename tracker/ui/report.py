"""报告: the source text with items and metrics highlighted; staff fill in redacted numbers."""

import streamlit as st

from tracker import highlight, progress, store
from tracker.model import PLAN, REVIEW
from tracker.ui import common, shell

rid = common.require_report()
db = common.get_db()
user = st.session_state["user"]
report = store.get_report(db, rid)
metrics = store.report_metrics(db, rid)
items = store.report_items(db, rid, part=None)

st.title("报告原文")
common.flash()
st.caption(
    f"{common.plain(report['title'] or report['filename'])} · {REVIEW.label} {report['review_year'] or '?'} 年"
    f" · {PLAN.label} {report['plan_year'] or '?'} 年"
    f" · {len(items)} 项条目、{len(metrics)} 个数字"
)
st.markdown(
    '<span class="lead-item">任务条目</span> <span class="metric-goal">数字目标</span> '
    '<span class="metric-count">统计数字</span> <span class="metric-redacted">隐去的数字</span>',
    unsafe_allow_html=True,
)

redacted = [m for m in metrics if m["redacted"]]
if redacted and store.may(user["role"], "fill"):
    st.subheader("填写隐去的数字")
    labels = {
        m["id"]: f"{m['quote']}（已填 {progress.fmt_number(m['filled_value'])}）"
        if m["filled_value"] is not None
        else m["quote"]
        for m in redacted
    }
    with st.form("fill_form", clear_on_submit=False):  # a refused entry stays to be corrected
        metric_id = st.selectbox("原文", list(labels), format_func=labels.get, key="fill_metric")
        value = st.text_input("实际数字", key="fill_value", placeholder="如 12")
        submitted = st.form_submit_button("保存")
    if submitted and common.write(db, "fill", metric_id, value=value):
        st.session_state["flash"] = "已保存"
        shell.clear_fields("fill_value")
        st.rerun()

st.subheader("原文")
st.html(highlight.to_html(report["text"], items, metrics))
