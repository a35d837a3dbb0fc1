"""The floor for `python -m tracker bench browser` (issue 15): the least a Streamlit page with a login
form, six metrics and five plotly bar charts can cost in this browser on this machine.

Not a page of the app: the benchmark runs it with `streamlit run` beside the app and races the two.
"""

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="trivial", layout="wide")

if not st.session_state.get("signed_in"):
    st.title("登录")
    st.text_input("用户名", key="login_name")
    st.text_input("密码", type="password", key="login_password")
    if st.button("登录", key="login_submit"):
        st.session_state["signed_in"] = True
        st.rerun()
    st.stop()

st.title("总览")
cols = st.columns(3) + st.columns(3)
for i, col in enumerate(cols):
    col.metric(f"指标{i + 1}", i * 3)
names = [f"类别{i}" for i in range(12)]
for i in range(5):
    fig = go.Figure(go.Bar(x=list(range(1, 13)), y=names, orientation="h"))
    fig.update_layout(height=360, margin={"l": 80, "r": 10, "t": 30, "b": 30}, title=f"图{i + 1}")
    st.plotly_chart(fig, width="stretch", key=f"chart_{i}")
