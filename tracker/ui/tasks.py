"""任务: staff tick off commitments, set status, owner and due date, and record goal progress."""

import pandas as pd
import streamlit as st

from tracker import dates, goal_types, progress, store
from tracker.goal_types import GOAL_TYPE_LABELS
from tracker.model import LIGHT_LABELS, STATUSES, Status
from tracker.ui import common, duban, shell

rid = common.require_report()
db = common.get_db()
ov = duban.scoped(db, common.overview(db, rid))  # a unit's staff: their unit's commitments only

st.title("任务")
common.flash()
if ov.items.empty:
    st.info("没有可以查看的任务")
    st.stop()

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
        "亮灯": frame["light"].map(LIGHT_LABELS),
    },
    index=frame.index,
)
st.caption("勾选“完成”或修改状态、牵头单位、截止日期后，点击“保存修改”。")
# the effective date of what is saved here: today, or the sidebar's 统计截至 when that is in the past
as_of = common.as_of()
default_day = min(as_of, dates.today())
effective = st.date_input(
    "生效日期（状态变化从这一天算起）", value=default_day, key="tasks_effective_date", format="YYYY-MM-DD"
)
st.data_editor(
    table,
    key=editor_key,
    num_rows="fixed",
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(table), 720),  # every commitment visible without scrolling the table
    disabled=["部分", "任务", "亮灯"],
    column_config={
        "done": st.column_config.CheckboxColumn("完成"),
        "status": st.column_config.SelectboxColumn("状态", options=list(STATUSES), required=True),
        "owner": st.column_config.TextColumn("牵头单位", max_chars=60),
        "due": st.column_config.DateColumn("截止日期", format="YYYY-MM-DD"),
        "任务": st.column_config.TextColumn("任务", width="medium"),
        "部分": st.column_config.NumberColumn("部分", width="small"),
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
                        Status.DONE
                        if value
                        else (
                            Status.IN_PROGRESS
                            if original.at[item_id, "status"] == Status.DONE
                            else original.at[item_id, "status"]
                        ),
                    )
                )
            elif column in ("status", "owner", "due"):
                out.append((column, item_id, value or ""))
    return out


if st.button("保存修改", key="tasks_save", type="primary"):
    edited = st.session_state.get(editor_key, {}).get("edited_rows", {})
    changes = changes_from_editor(edited, table.index, frame)
    saved = sum(
        common.write(db, action, item_id, value=value, date=effective if action == "status" else None)
        for action, item_id, value in changes
    )
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
        r.id: f"{r.activity}（{GOAL_TYPE_LABELS.get(r.type, '')}）："
        f"{progress.fmt_number(r.progress)}/{progress.fmt_number(r.target)} {r.unit}"
        for r in goals.itertuples()
    }
    goal_id = st.selectbox("数字目标", list(labels), format_func=labels.get, key="progress_goal")
    chosen = goals.set_index("id").loc[goal_id]
    kind = chosen["type"]
    with st.form("progress_form", clear_on_submit=False):  # a refused entry stays to be corrected
        c1, c2 = st.columns(2)
        day = c1.date_input("日期", value=default_day, key="progress_date", format="YYYY-MM-DD")
        if kind == goal_types.MILESTONE:
            amount = chosen["target"] if pd.notna(chosen["target"]) and chosen["target"] else 1
            c2.caption("节点型目标：完成后点击下方“已完成”。")
        elif goal_types.asks_current_value(kind):
            amount = c2.text_input(
                f"当前值（{chosen['unit']}，截至该日期）", key="progress_amount", placeholder="如 5.2"
            )
        else:
            amount = c2.text_input("本次完成数量", key="progress_amount", placeholder="如 3")
        note = st.text_input("说明（可填佐证材料链接或文件名）", key="progress_note")
        submitted = st.form_submit_button("已完成" if kind == goal_types.MILESTONE else "提交进度")
    if submitted and common.write(db, "progress", goal_id, amount=amount, date=day, note=note, evidence=note):
        said = f"当前值 {amount}" if goal_types.asks_current_value(kind) else f"+{amount}"
        st.session_state["flash"] = f"已记录进度：{chosen['activity']} {said}"
        shell.clear_fields("progress_amount", "progress_note")
        st.rerun()

# all goals of a commitment met: propose 已完成 (never set silently)
ready = frame[frame["goals_met"] & ~frame["done"]]
for item_id, row in ready.iterrows():
    c1, c2 = st.columns([4, 1])
    c1.info(f"“{common.plain(row['title'])}”的数字目标已全部达到，是否标记为已完成？")
    if c2.button("标记已完成", key=f"propose_done_{item_id}") and common.write(
        db, "status", item_id, value=Status.DONE, date=effective, note="数字目标已全部达到"
    ):
        st.session_state["flash"] = f"已标记完成：{row['title']}"
        st.rerun()

st.subheader("任务详情与记录")
titles = {r.Index: f"{r.section}. {r.title}" for r in frame.itertuples()}
item_id = st.selectbox("选择任务", list(titles), format_func=titles.get, key="detail_item")
item = frame.loc[item_id]
st.markdown(
    f"**状态** {item['effective_status']} · **亮灯** {LIGHT_LABELS[item['light']]} · "
    f"**牵头单位** {common.plain(item['owner'] or '未定')} · **协办单位** {common.plain(item['co_owner'] or '—')}"
    f" · **截止** {item['due'] or '—'}"
)
with st.expander("原文", expanded=False):
    st.text(store.get_item(db, item_id)["text"])
with st.form("detail_form", clear_on_submit=True):
    c1, c2 = st.columns(2)
    status = c1.selectbox(
        "状态", list(STATUSES), index=list(STATUSES).index(item["status"]), key="detail_status"
    )
    co_owner = c2.text_input("协办单位", value=item["co_owner"], key="detail_co_owner", max_chars=120)
    note = st.text_input("说明", key="detail_note", max_chars=500)
    evidence = st.text_input("佐证材料（链接或文件名）", key="detail_evidence", max_chars=500)
    submitted = st.form_submit_button("保存任务记录")
if submitted:
    ok = True
    if status != item["status"]:
        ok = common.write(db, "status", item_id, value=status, date=default_day, note=note, evidence=evidence)
    elif note or evidence:
        ok = common.write(db, "note", item_id, note=note or evidence, evidence=evidence)
    if ok and co_owner.strip() != item["co_owner"]:
        ok = common.write(db, "co_owner", item_id, value=co_owner)
    if ok:
        st.session_state["flash"] = f"已保存：{item['title']}"
        st.rerun()

# the event log is read only when asked for, not on every run of the page (issue 15)
opened = st.toggle("查看该任务的修改记录", key="detail_history_open")
history = store.events_for(db, target_id=item_id, limit=100) if opened else []
if history:
    st.dataframe(
        pd.DataFrame(
            {
                "时间": [common.local_time(e["at"]) for e in history],
                "用户": [e["user"] for e in history],
                "操作": [
                    common.ACTION_LABELS.get(e["action"], e["action"]) + ("（撤销）" if e["undoes"] else "")
                    for e in history
                ],
                "修改前 → 修改后": [common.change_text(e) for e in history],
                "说明": [e["note"] or "" for e in history],
                "佐证": [e["evidence"] or "" for e in history],
            }
        ),
        hide_index=True,
        key="detail_history",
    )
duban.item_panel(db, item_id, "detail")  # 督办: units, instructions, progress reports and evidence

if store.may(st.session_state["user"]["role"], "verify") and not goals.empty:
    st.subheader("核实数字目标进度")
    st.caption("工作人员填报的进度与管理员核实的进度分开记录，图表同时显示两者。")
    verify_labels = {
        r.id: f"{r.activity}：填报 {progress.fmt_number(r.progress)}，已核实 {progress.fmt_number(r.verified)} {r.unit}"
        for r in goals.itertuples()
    }
    with st.form("verify_form", clear_on_submit=False):
        verify_goal = st.selectbox(
            "数字目标", list(verify_labels), format_func=verify_labels.get, key="verify_goal"
        )
        c1, c2 = st.columns(2)
        verify_day = c1.date_input("核实日期", value=default_day, key="verify_date", format="YYYY-MM-DD")
        verify_amount = c2.text_input("核实数量（水平型、上限型填核实的当前值）", key="verify_amount")
        verify_note = st.text_input("核实说明", key="verify_note")
        verified = st.form_submit_button("提交核实")
    if verified and common.write(
        db, "verify", verify_goal, amount=verify_amount, date=verify_day, note=verify_note
    ):
        st.session_state["flash"] = "已记录核实进度"
        shell.clear_fields("verify_amount", "verify_note")
        st.rerun()
