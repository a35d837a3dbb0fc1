"""单位 (admin): the units of 督办 — add, change the e-mail that gets reminders, disable or enable."""

import pandas as pd
import streamlit as st

from tracker import store
from tracker.errors import TrackerError
from tracker.ui import common

db = common.get_db()
user = st.session_state["user"]

st.title("单位")
common.flash()
if not store.may(user["role"], "unit"):
    st.error("只有管理员可以管理单位")
    st.stop()


def change(name: str, op: str, email: str | None = None, done: str = "") -> None:
    try:
        store.manage_unit(db, user["name"], name, op, email)
    except TrackerError as e:
        st.error(common.plain(str(e)))
        return
    st.session_state["flash"] = done
    st.rerun()


units = store.list_units(db)
if units:
    st.dataframe(
        pd.DataFrame(
            {
                "单位": [u["name"] for u in units],
                "电子邮箱": [u["email"] or "" for u in units],
                "状态": ["正常" if u["active"] else "已停用" for u in units],
                "添加时间": [common.local_time(u["created_at"])[:16] for u in units],
            }
        ),
        hide_index=True,
        key="units_table",
    )
else:
    st.info("还没有单位。导入报告时也可以把报告中写明的牵头、配合单位添加为单位。")

with st.form("unit_add", clear_on_submit=True):
    st.markdown("**添加单位**")
    c1, c2 = st.columns(2)
    name = c1.text_input("单位名称", key="unit_name", max_chars=40)
    email = c2.text_input("电子邮箱（接收督办提醒，可不填）", key="unit_email")
    if st.form_submit_button("添加"):
        change(name, "add", email, f"已添加单位 {name.strip()}")

if units:
    st.markdown("**修改或停用**")
    names = [u["name"] for u in units]
    chosen = st.selectbox("单位", names, key="unit_pick")
    row = next(u for u in units if u["name"] == chosen)
    new_email = st.text_input("电子邮箱", value=row["email"] or "", key=f"unit_email_{chosen}")
    c1, c2 = st.columns(2)
    if c1.button("保存邮箱", key="unit_save_email"):
        change(chosen, "email", new_email, f"已修改 {chosen} 的电子邮箱")
    if row["active"] and c2.button("停用", key="unit_disable"):
        change(chosen, "disable", done=f"已停用 {chosen}")
    if not row["active"] and c2.button("重新启用", key="unit_enable"):
        change(chosen, "enable", done=f"已启用 {chosen}")
