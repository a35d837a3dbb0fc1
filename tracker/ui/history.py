"""历史: every change, who made it and when; staff can undo (which appends a reversing event)."""

import pandas as pd
import streamlit as st

from tracker import progress, store
from tracker.ui import common, duban

rid = common.require_report()
db = common.get_db()
user = st.session_state["user"]

st.title("历史记录")
common.flash()
# the same five counts as 总览 at the sidebar's date, so that a change here can be read against them
counts = progress.labelled(common.overview(db, rid).counts)
st.caption(f"统计截至 {common.as_of().isoformat()}：" + " · ".join(f"{k} {n}" for k, n in counts.items()))
ACTIONS = common.ACTION_LABELS
names = {it["id"]: it["title"] for it in store.report_items(db, rid, part=None)}
names |= {m["id"]: m["activity"] or m["quote"] for m in store.report_metrics(db, rid)}
report = store.get_report(db, rid)
names[rid] = report["filename"] or report["title"]
plan_titles = {it["id"]: f"{it['section']}. {it['title']}" for it in store.report_items(db, rid)}
plan_titles = duban.only_visible(db, plan_titles)  # a unit's staff: their unit's commitments only
only = st.selectbox(
    "只看一项任务",
    [None, *plan_titles],
    format_func=lambda k: "全部记录" if k is None else plan_titles[k],
    key="history_item",
)
events = duban.visible_events(db, store.events_for(db, target_id=only, report_id=rid, limit=500))


table = pd.DataFrame(
    {
        "编号": [e["id"] for e in events],
        "时间": [common.local_time(e["at"]) for e in events],
        "生效日期": [e["date"] or "" for e in events],
        "用户": [e["user"] for e in events],
        "操作": [ACTIONS.get(e["action"], e["action"]) + ("（撤销）" if e["undoes"] else "") for e in events],
        "对象": [names.get(e["target_id"], e["target_id"]) for e in events],
        "修改前": [common.shown(e["before"]) for e in events],
        "修改后": [common.after_text(e) for e in events],
        "说明": [e["note"] or "" for e in events],
        "已撤销": ["是" if e["undone_by"] else "" for e in events],
    }
)
st.dataframe(table, hide_index=True, key="history_table")

if store.may(user["role"], "undo"):
    # only what this user could have done: staff are not offered an admin's 核实 (issue 17)
    undoable = [
        e
        for e in events
        if not e["undone_by"] and not e["undoes"] and store.may_undo(user["role"], e["action"])
    ]
    if undoable:
        with st.form("undo_form"):
            labels = {
                e[
                    "id"
                ]: f"#{e['id']} {ACTIONS.get(e['action'], e['action'])} · {names.get(e['target_id'], '')}"
                for e in undoable
            }
            event_id = st.selectbox("撤销哪一条记录", list(labels), format_func=labels.get, key="undo_event")
            submitted = st.form_submit_button("撤销")
        if submitted and common.write(db, "undo", str(event_id)):
            st.session_state["flash"] = f"已撤销 #{event_id}"
            st.rerun()
