"""落实 dashboard: page config, database on first start, login gate, navigation by role."""

import streamlit as st

from tracker.ui import common, shell

st.set_page_config(page_title="落实 · 工作报告任务跟踪", page_icon=str(shell.FAVICON), layout="wide")

db = common.get_db()
user = common.current_user(db)

if user is None:
    pages = [common.page("setup") if common.needs_setup(db) else common.page("login")]
else:
    common.sidebar(db, user)
    names = common.pages_for(user)
    pages = [common.page(name, default=k == 0) for k, name in enumerate(names)]

common.sync_cookie()  # the sign-in cookie a sign-in or sign-out of the previous run asked for
shell.run_page(st.navigation(pages))
