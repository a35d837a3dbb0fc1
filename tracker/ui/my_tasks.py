"""我的任务: a unit's landing page — its commitments, what is due, reports missing, unread instructions."""

import pandas as pd
import streamlit as st

from tracker import dates, periods, store
from tracker.ui import common, duban

db = common.get_db()
user = duban.user_row(db)
unit = user.get("unit")

st.title("我的任务")
common.flash()
if not unit:
    st.info("您的账号不属于任何单位，可在“任务”和“督办”页面查看全部任务。")
    st.stop()

today = dates.today()
items = store.supervision_items(db, store.unit_items(db, unit))
st.caption(f"{common.plain(unit)} · 截至 {today.isoformat()}")
if not items:
    st.info("本单位还没有分配任务")
    st.stop()

reminder = next(iter(store.reminders_for(db, today, unit)), None)
c1, c2, c3, c4 = st.columns(4)
c1.metric("本单位任务", len(items))
c2.metric("30天内到期", len(reminder.due_soon) if reminder else 0)
c3.metric("已超期", len(reminder.overdue) if reminder else 0)
unread = [i for i in store.instructions(db, [it["id"] for it in items]) if unit not in i["read_by"]]
c4.metric("未阅批示", len(unread))

st.subheader("本单位的任务")
st.dataframe(
    pd.DataFrame(
        {
            "任务": [it["title"] for it in items],
            "分工": ["牵头" if it["lead"] == unit else "配合" for it in items],
            "状态": [it["status"] for it in items],
            "截止日期": [it["due"] or "" for it in items],
            "编号": [it["id"] for it in items],
        }
    ),
    hide_index=True,
    key="my_items",
)

if reminder and (reminder.due_soon or reminder.overdue):
    st.subheader("即将到期和已超期")
    tasks = [*reminder.overdue, *reminder.due_soon]
    st.dataframe(
        pd.DataFrame(
            {
                "任务": [t.title for t in tasks],
                "截止日期": [t.due.isoformat() for t in tasks],
                "情况": [f"已超期{t.days}天" for t in reminder.overdue]
                + [("今天到期" if t.days == 0 else f"还有{t.days}天") for t in reminder.due_soon],
            }
        ),
        hide_index=True,
        key="my_due",
    )

st.subheader("待报送的进展")
opened = [p for p in store.list_periods(db) if periods.as_period(p).start <= today]
states = periods.report_states(items, store.report_rows(db), opened)
owed = [s for s in states if s["unit"] == unit and s["state"] is periods.ReportState.MISSING]
titles = {it["id"]: it["title"] for it in items}
if owed:
    st.dataframe(
        pd.DataFrame(
            {
                "报告期": [s["period"] for s in owed],
                "任务": [titles[s["item"]] for s in owed],
                "截止": [
                    periods.as_period(next(p for p in opened if p["label"] == s["period"])).due for s in owed
                ],
            }
        ),
        hide_index=True,
        key="my_missing",
    )
else:
    st.success("已开启的报告期都已报送")
duban.report_form(db, [it["id"] for it in items], "my")

st.subheader("领导批示")
if not unread:
    st.caption("没有未阅的批示")
for ins in unread:
    st.warning(
        f"{common.plain(ins['by'])}对“{common.plain(titles[ins['item_id']])}”批示"
        f"（{common.local_time(ins['at'])[:16]}）：{common.plain(ins['text'])}"
    )
    if st.button("标为已阅", key=f"my_read_{ins['id']}") and common.write(
        db, "read", ins["item_id"], instruction=ins["id"]
    ):
        st.session_state["flash"] = "已标为已阅"
        st.rerun()

st.subheader("已报送的进展")
duban.reports_list(db, [it["id"] for it in items], "my_reports")
