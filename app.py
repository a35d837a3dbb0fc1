"""落实 dashboard: page config, database on first start, login gate, navigation by role."""

import streamlit as st

from tracker.ui import common

st.set_page_config(page_title="落实 · 工作报告任务跟踪", page_icon="✅", layout="wide")

db = common.get_db()
user = common.current_user(db)

if user is None:
    pages = [common.page("setup") if common.needs_setup(db) else common.page("login")]
else:
    common.sidebar(db, user)
    names = common.pages_for(user)
    pages = [common.page(name, default=k == 0) for k, name in enumerate(names)]

st.navigation(pages).run()
