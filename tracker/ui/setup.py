"""First start: no account exists yet, create the first administrator."""

import streamlit as st

from tracker import auth
from tracker.errors import TrackerError
from tracker.model import Role
from tracker.ui import common, shell

st.title("落实 · 初始设置")
st.write("系统还没有任何账号。请创建第一个管理员账号，之后可在“用户”页面添加工作人员和领导账号。")
with st.form("setup_form"):
    name = st.text_input("管理员用户名", key="setup_name")
    password = st.text_input(
        f"密码（至少 {auth.MIN_PASSWORD} 位，不含用户名，不用常见密码）",
        type="password",
        key="setup_password",
    )
    again = st.text_input("再次输入密码", type="password", key="setup_again")
    submitted = st.form_submit_button("创建管理员")
if submitted:
    db = common.get_db()
    if password != again:
        st.error("两次输入的密码不一致")
    else:
        try:
            auth.add_user(db, name, Role.ADMIN, password, by=None)
            common.sign_in(auth.login(db, name, password, address=common.client_address()))
            st.rerun()
        except TrackerError as e:
            st.error(common.plain(str(e)))
shell.preload_dashboard_code()
