"""用户: administrators add accounts, disable them and reset passwords."""

import pandas as pd
import streamlit as st

from tracker import auth, store
from tracker.errors import TrackerError
from tracker.model import ROLES
from tracker.ui import common, shell

db = common.get_db()
me = st.session_state["user"]["name"]
st.title("用户管理")
common.flash()

users = store.list_users(db)
st.dataframe(
    pd.DataFrame(
        {
            "用户名": [u["name"] for u in users],
            "角色": [store.role_label(u["role"]) for u in users],
            "状态": ["已停用" if u["disabled"] else "正常" for u in users],
            "创建时间": [common.local_time(u["created_at"]) for u in users],
        }
    ),
    hide_index=True,
    key="users_table",
)

st.subheader("添加用户")
with st.form("add_user_form", clear_on_submit=False):  # a refused entry stays to be corrected
    name = st.text_input("用户名", key="new_user_name")
    role = st.selectbox("角色", list(ROLES), index=1, format_func=store.role_label, key="new_user_role")
    password = st.text_input(
        f"初始密码（至少 {auth.MIN_PASSWORD} 位，不含用户名，不用常见密码）",
        type="password",
        key="new_user_password",
    )
    submitted = st.form_submit_button("添加")
if submitted:
    try:
        auth.add_user(db, name, role, password, by=me)
        st.session_state["flash"] = f"已添加用户 {name.strip()}"
        shell.clear_fields("new_user_name", "new_user_password")
        st.rerun()
    except TrackerError as e:
        st.error(common.plain(str(e)))

st.subheader("停用 / 启用、重置密码")
others = [u["name"] for u in users if u["name"] != me]
if others:
    with st.form("manage_user_form"):
        target = st.selectbox("用户", others, key="manage_user")
        # no action chosen in advance: one click must never disable an account (issue 14)
        action = st.radio(
            "操作", ["停用", "启用", "重置密码"], index=None, horizontal=True, key="manage_action"
        )
        new_password = st.text_input("新密码（重置密码时填写）", type="password", key="manage_password")
        confirmed = st.checkbox("我已核对用户和操作，确认执行", key="manage_confirm")
        submitted = st.form_submit_button("执行")
    if submitted and action is None:
        st.error("请先选择要执行的操作")
    elif submitted and not confirmed:
        st.warning(f"请勾选“确认执行”后再提交：将对 {common.plain(target)} 执行 {action}")
    elif submitted:
        try:
            if action == "重置密码":
                auth.set_password(db, target, new_password, by=me)
            else:
                auth.set_disabled(db, target, action == "停用", by=me)
            st.session_state["flash"] = f"已对 {target} 执行：{action}"
            st.session_state.pop("manage_action", None)
            st.session_state.pop("manage_confirm", None)
            st.rerun()
        except TrackerError as e:
            st.error(common.plain(str(e)))
