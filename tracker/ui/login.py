"""Sign in."""

import streamlit as st

from tracker import auth
from tracker.errors import TrackerError
from tracker.ui import common, shell

st.title("落实 · 登录")
message = st.session_state.pop("flash", None)
if message:
    st.warning(message)
with st.form("login_form"):
    name = st.text_input("用户名", key="login_name")
    password = st.text_input("密码", type="password", key="login_password")
    submitted = st.form_submit_button("登录")
if submitted:
    try:
        common.sign_in(auth.login(common.get_db(), name, password, address=common.client_address()))
        st.rerun()
    except TrackerError as e:
        st.error(common.plain(str(e)))
shell.preload_dashboard_code()
