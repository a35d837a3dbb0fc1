"""任务: staff tick off commitments, set status, owner and due date, and record goal progress."""

import pandas as pd
import streamlit as st

from tracker import progress, store
from tracker.ui import common

rid = common.require_report()
db = common.get_db()
ov = common.load_overview(store.db_path(), rid, common.as_of(), common.service.data_version(db))

st.title("任务")
common.flash()

EDITOR = "tasks_editor"
version = st.session_state.setdefault("tasks_editor_version", 0)
editor_key = f"{EDITOR}_{version}"
frame = ov.items.set_index("id")
table = pd.DataFrame(
    {
        "部分": frame["section"],
        "任务": frame["title"],
        "done": frame["done"],
        "status": frame["status"],
        "owner": frame["owner"],
        "due": pd.to_datetime(frame["due"], errors="coerce").dt.date,
        "亮灯": frame["light"].map(progress.LIGHT_LABELS),
    },
    index=frame.index,
)
st.caption("勾选“完成”或修改状态、牵头单位、截止日期后，点击“保存修改”。")
st.data_editor(
    table,
    key=editor_key,
    num_rows="fixed",
    hide_index=True,
    disabled=["部分", "任务", "亮灯"],
    column_config={
        "done": st.column_config.CheckboxColumn("完成"),
        "status": st.column_config.SelectboxColumn("状态", options=list(store.STATUSES), required=True),
        "owner": st.column_config.TextColumn("牵头单位", max_chars=60),
        "due": st.column_config.DateColumn("截止日期", format="YYYY-MM-DD"),
        "任务": st.column_config.TextColumn("任务", width="large"),
    },
)


def changes_from_editor(edited_rows: dict, index: pd.Index, original: pd.DataFrame) -> list[tuple]:
    """(action, item id, value) for each edited cell; the 完成 box sets the status."""
    out = []
    for pos, cells in edited_rows.items():
        item_id = index[int(pos)]
        for column, value in cells.items():
            if column == "done":
                out.append(
                    (
                        "status",
                        item_id,
                        store.DONE
                        if value
                        else (
                            "推进中"
                            if original.at[item_id, "status"] == store.DONE
                            else original.at[item_id, "status"]
                        ),
                    )
                )
            elif column in ("status", "owner", "due"):
                out.append((column, item_id, value or ""))
    return out  # fmt: skip


if st.button("保存修改", key="tasks_save", type="primary"):
    edited = st.session_state.get(editor_key, {}).get("edited_rows", {})
    changes = changes_from_editor(edited, table.index, frame)
    saved = sum(common.write(db, action, item_id, value=value) for action, item_id, value in changes)
    if saved == len(changes):
        st.session_state["tasks_editor_version"] = version + 1
        st.session_state["flash"] = f"已保存 {saved} 处修改" if saved else "没有需要保存的修改"
        st.rerun()

st.subheader("填报数字目标进度")
goals = ov.goals
if goals.empty:
    st.info("本报告的工作安排中没有数字目标")
else:
    labels = {
        r.id: f"{r.activity}：{progress.fmt_number(r.progress)}/{progress.fmt_number(r.target)} {r.unit}"
        for r in goals.itertuples()
    }
    with st.form("progress_form", clear_on_submit=True):
        goal_id = st.selectbox("数字目标", list(labels), format_func=labels.get, key="progress_goal")
        c1, c2 = st.columns(2)
        day = c1.date_input("日期", value=common.as_of(), key="progress_date")
        amount = c2.text_input("本次完成数量", key="progress_amount", placeholder="如 3")
        note = st.text_input("说明（可填佐证材料链接或文件名）", key="progress_note")
        submitted = st.form_submit_button("提交进度")
    if submitted and common.write(db, "progress", goal_id, amount=amount, date=day, note=note, evidence=note):
        st.session_state["flash"] = f"已记录进度：{labels[goal_id].split('：')[0]} +{amount}"
        st.rerun()
