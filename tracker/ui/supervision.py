"""督办 (office staff, admins, leaders): units × periods matrix (按时 / 逾期 / 未报), click-through to the
reports and their evidence, who has not reported, opening periods (admins), a commitment's panel."""

import pandas as pd
import streamlit as st

from tracker import periods, store
from tracker.errors import TrackerError
from tracker.ui import common, duban

db = common.get_db()
user = duban.user_row(db)

st.title("督办")
common.flash()
if user.get("unit"):
    st.error("单位账号请在“我的任务”中查看本单位的任务")
    st.stop()

if store.may(user["role"], "cycle_open"):
    with (
        st.expander("开启报告期", expanded=not store.list_periods(db)),
        st.form("cycle_form", clear_on_submit=True),
    ):
        c1, c2 = st.columns(2)
        label = c1.text_input("报告期", placeholder="2023-06 或 2023-Q2", key="cycle_label")
        due = c2.text_input("报送截止日期（可不填：报告期结束后 5 天）", key="cycle_due")
        if st.form_submit_button("开启"):
            try:
                store.record(db, user["name"], "cycle_open", periods.normalise_label(label), due=due)
            except TrackerError as e:
                st.error(common.plain(str(e)))
            else:
                st.session_state["flash"] = f"已开启报告期 {periods.normalise_label(label)}"
                st.rerun()

opened = store.list_periods(db)
if not opened:
    st.info("还没有开启报告期")
    st.stop()

rows, cells = store.matrix_for(db)
st.subheader("报送情况")
if rows:
    table = duban.state_table(rows).rename_axis("单位")
    st.dataframe(table.style.map(duban.colour_cell), key="duban_matrix")
    st.caption("每格为该单位牵头任务在该报告期中最差的情况：未报 > 逾期 > 按时；空白表示无须报送。")
else:
    st.info("还没有分配了牵头单位的任务")

choices = sorted({(c["unit"], c["period"]) for c in cells}, key=lambda x: (x[1], x[0]))
if choices:
    unit, label = st.selectbox(
        "查看单位和报告期", choices, format_func=lambda x: f"{x[0]} · {x[1]}", key="duban_cell"
    )
    mine = [c for c in cells if c["unit"] == unit and c["period"] == label]
    titles = {r["id"]: r["title"] for r in store.supervision_items(db, [c["item"] for c in mine])}
    st.dataframe(
        pd.DataFrame(
            {
                "任务": [titles.get(c["item"], c["item"]) for c in mine],
                "情况": [c["state"].label for c in mine],
                "首次报送": [c["filed"] or "" for c in mine],
            }
        ),
        hide_index=True,
        key="duban_cell_items",
    )
    duban.reports_list(db, [c["item"] for c in mine], "duban_cell", period=label, unit=unit)

st.subheader("未报送")
label = st.selectbox("报告期", [p["label"] for p in reversed(opened)], key="duban_missing_period")
missing = store.missing_for(db, label)
if missing:
    titles = {
        r["id"]: r["title"] for r in store.supervision_items(db, [i for m in missing for i in m["items"]])
    }
    st.dataframe(
        pd.DataFrame(
            {
                "单位": [m["unit"] for m in missing],
                "电子邮箱": [m["email"] or "" for m in missing],
                "未报任务": ["；".join(titles.get(i, i) for i in m["items"]) for m in missing],
            }
        ),
        hide_index=True,
        key="duban_missing",
    )
else:
    st.success(f"{label} 所有单位均已报送")

st.subheader("任务督办与批示")
items = store.supervision_items(db)
if items:
    names = {it["id"]: f"{it['section']}. {it['title']}" for it in items}
    item_id = st.selectbox("选择任务", list(names), format_func=names.get, key="duban_item")
    duban.item_panel(db, item_id, "duban_item")
