"""导入 (admin): upload a report, review the extraction beside the highlighted source, correct, confirm.

The uploaded file goes into st.session_state[PENDING] and is read on the next line; the draft under
review lives in st.session_state[DRAFT]. Every correction is a function of tracker.intake, so the
page only draws widgets and calls them.
"""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from tracker import highlight, intake, service, store
from tracker.errors import TrackerError
from tracker.model import PART_LABELS, PLAN, REVIEW
from tracker.read import MAX_BYTES
from tracker.ui import common, duban

DRAFT = "import_draft"
PENDING = "import_pending"  # (filename, bytes) waiting to be read
ERROR = "import_error"
PART = PART_LABELS

db = common.get_db()
user = st.session_state["user"]

st.title("导入报告")
common.flash()
if not store.may(user["role"], "import"):
    st.error("只有管理员可以导入报告")
    st.stop()

limit_mb = MAX_BYTES // 1024 // 1024
st.caption(
    f"支持 .txt（UTF-8、GBK/GB18030 等编码）、.docx 和 .pdf，单个文件不超过 {limit_mb} MB。"
    "上传后先核对提取结果、改正错误，点击“确认导入”才会一次写入数据库；已有的进度和修改都会保留。"
)

upload = st.file_uploader("选择报告文件", type=["txt", "docx", "pdf"], key="import_upload")
if upload is not None and st.session_state.get("import_upload_id") != upload.file_id:
    st.session_state["import_upload_id"] = upload.file_id
    st.session_state[PENDING] = (upload.name, upload.getvalue())

pending = st.session_state.pop(PENDING, None)
if pending is not None:
    name, data = pending
    st.session_state.pop(DRAFT, None)
    st.session_state.pop(ERROR, None)
    try:
        st.session_state[DRAFT] = service.start_import(db, data, name)
    except TrackerError as e:
        st.session_state[ERROR] = f"无法导入“{name[:80]}”：{e}"

if st.session_state.get(ERROR):
    st.error(common.plain(st.session_state[ERROR]))


def change(fn, *args, done: str, **kw) -> None:
    """Apply one correction to the draft; a refusal is shown and changes nothing."""
    try:
        st.session_state[DRAFT] = fn(st.session_state[DRAFT], *args, **kw)
    except TrackerError as e:
        st.session_state["import_change_error"] = str(e)
    else:
        st.session_state["flash"] = done
    st.rerun()


def show_to_review(report_id: str | None) -> None:
    """Items a re-import changed or lost, each with a button to mark it reviewed."""
    if not report_id:
        return
    rows = store.items_to_review(db, report_id)
    if not rows:
        return
    st.subheader(f"待核对的条目（{len(rows)}）")
    st.caption("重新导入后内容有变化或在新版本中找不到的条目。原有进度和记录都保留，核对后点击“已核对”。")
    for row in rows:
        reason = "新版本中找不到" if row["reason"] == "vanished" else "内容有变化"
        cols = st.columns([5, 1])
        cols[0].markdown(f"**{common.plain(row['title'])}** · {reason} · 状态：{row['status']}")
        if cols[1].button("已核对", key=f"import_reviewed_{row['id']}"):
            try:
                store.mark_reviewed(db, user["name"], row["id"])
            except TrackerError as e:
                st.error(common.plain(str(e)))
            else:
                st.rerun()


draft: intake.Draft | None = st.session_state.get(DRAFT)
if draft is None:
    show_to_review(st.session_state.get("import_last_report") or common.report_id())
    st.stop()

message = st.session_state.pop("import_change_error", None)
if message:
    st.error(common.plain(message))

fixed = intake.corrected(draft)
report = fixed.report
st.subheader(f"核对：{common.plain(draft.filename)}")
if draft.same_file:
    same = draft.same_file
    st.info(
        f"同样内容的文件已于 {same['imported_at'][:16].replace('T', ' ')} 由 {same['imported_by']} 导入"
        f"（{same['plan_year'] or '?'} 年 · {common.plain(same['org'] or same['title'])}）。再次确认只会写入新的修改。"
    )
if draft.saved:
    st.info(f"已自动套用此前导入时所做的 {draft.saved} 处修改。")
if fixed.skipped:
    st.warning(
        "以下此前的修改在这个版本中对不上，未套用：\n\n"
        + "\n".join(f"- {common.plain(intake.describe(op))}" for op in fixed.skipped)
    )

with st.expander("单位和年度", expanded=not (report.org and report.plan_year)):
    cols = st.columns(4)
    org = cols[0].text_input("单位", value=report.org, key="import_org")
    title = cols[1].text_input("标题", value=report.title, key="import_title")
    review_year = cols[2].number_input(
        "回顾年度", 1949, 2100, value=report.review_year or 2023, key="import_ry"
    )
    plan_year = cols[3].number_input("计划年度", 1949, 2100, value=report.plan_year or 2024, key="import_py")
    if st.button("保存单位和年度", key="import_meta"):
        change(
            intake.set_meta,
            org=org if org != report.org else None,
            title=title if title != report.title else None,
            review_year=int(review_year) if review_year != report.review_year else None,
            plan_year=int(plan_year) if plan_year != report.plan_year else None,
            done="已修改单位和年度",
        )

n_plan = sum(1 for it in report.items if it.part == PLAN)
st.markdown(
    f"{report.review_year or '?'} 年{REVIEW.label} · {report.plan_year or '?'} 年{PLAN.label} · "
    f"条目 {len(report.items)} 项（计划任务 {n_plan} 项）· 数字 {len(report.metrics)} 个"
)

left, right = st.columns([1, 1])
with left:
    item_labels = {
        k: f"{k + 1}. [{PART.get(it.part, it.part)}] {it.title}" for k, it in enumerate(report.items)
    }
    st.markdown("**条目**")
    st.dataframe(
        pd.DataFrame(
            {
                "部分": [PART.get(it.part, it.part) for it in report.items],
                "节": [it.section for it in report.items],
                "标题": [it.title for it in report.items],
                "截止": [it.due or "" for it in report.items],
            },
            index=range(1, len(report.items) + 1),
        ),
        key="import_items_table",
        height=240,
    )
    chosen = st.selectbox("选择条目", list(item_labels), format_func=item_labels.get, key="import_item")
    tab_rename, tab_merge, tab_split = st.tabs(["改名", "与下一项合并", "拆分"])
    with tab_rename:
        new_title = st.text_input("新标题", key="import_new_title")
        if st.button("改名", key="import_rename"):
            change(intake.rename_item, chosen, new_title, done="已改名")
    with tab_merge:
        st.caption("把所选条目和紧随其后的一项合并为一项。")
        if st.button("与下一项合并", key="import_merge"):
            change(intake.merge_items, chosen, done="已合并")
    with tab_split:
        if chosen is not None:
            st.caption(common.plain(report.items[chosen].text[:300]))
        marker = st.text_input("新条目从哪句话开始（复制开头几个字）", key="import_split_at")
        split_title = st.text_input("新条目标题（可不填）", key="import_split_title")
        if st.button("拆分", key="import_split"):
            change(intake.split_item, chosen, marker, split_title, done="已拆分")

    st.markdown("**数字**")
    titles = [it.title for it in report.items]
    st.dataframe(
        pd.DataFrame(
            {
                "部分": [PART.get(m.part, m.part) for m in report.metrics],
                "内容": [m.activity for m in report.metrics],
                "数值": ["***" if m.value is None else f"{m.value:g}" for m in report.metrics],
                "单位": [m.unit for m in report.metrics],
                "原文": [m.quote for m in report.metrics],
                "所属条目": [titles[m.item] if m.item is not None else "" for m in report.metrics],
            },
            index=range(1, len(report.metrics) + 1),
        ),
        key="import_metrics_table",
        height=240,
    )
    tab_add, tab_drop = st.tabs(["补充漏掉的数字", "删除误识别的数字"])
    with tab_add:
        quote = st.text_input("原文（从右侧原文中选中并复制数字所在的文字）", key="import_quote")
        cols = st.columns(3)
        value = cols[0].text_input("数值（隐去的填 ***）", key="import_value")
        unit = cols[1].text_input("单位", key="import_unit", placeholder="次、家、万人")
        activity = cols[2].text_input("内容", key="import_activity", placeholder="如 专题协商")
        near = report.items[chosen].start if chosen is not None else 0
        st.caption("原文出现多次时，取离所选条目最近的一处。")
        if st.button("补充数字", key="import_add_metric"):
            change(intake.add_metric, quote, value, unit, activity, near=near, done="已补充数字")
    with tab_drop:
        metric_labels = {k: f"{k + 1}. {m.quote}" for k, m in enumerate(report.metrics)}
        dropped = st.selectbox(
            "选择数字", list(metric_labels), format_func=metric_labels.get, key="import_metric"
        )
        if st.button("删除此数字", key="import_drop_metric"):
            change(intake.drop_metric, dropped, done="已删除数字")

with right:
    st.markdown("**原文**（蓝色：条目；橙色：数字目标；绿色：统计数字；粉色：隐去的数字）")
    with st.container(height=900, key="import_source"):
        st.html(
            highlight.to_html(
                report.text, [asdict(i) for i in report.items], [asdict(m) for m in report.metrics]
            )
        )

new_ops = draft.ops[draft.saved :]
if new_ops:
    st.markdown("**本次修改**")
    st.markdown("\n".join(f"{k + 1}. {common.plain(intake.describe(op))}" for k, op in enumerate(new_ops)))
    if st.button("撤回上一步修改", key="import_undo"):
        change(intake.undo_last, done="已撤回")

new_units = duban.new_units_picker(db, report)  # 督办: owners named in the text, offered as units
cols = st.columns([1, 1, 4])
if cols[0].button("确认导入", type="primary", key="import_confirm"):
    try:
        result = service.confirm_import(db, draft, user["name"])
        duban.after_import(db, result["report_id"], new_units)
    except TrackerError as e:
        st.error(common.plain(str(e)))
    else:
        st.session_state.pop(DRAFT, None)
        st.session_state["import_last_report"] = result["report_id"]
        state = "内容未变，未作修改" if result["unchanged"] else "已导入"
        st.session_state["flash"] = (
            f"{draft.filename}：{state}。条目 {result['items']} 项，数字 {result['metrics']} 个"
            + (f"，保存修改 {result['corrections']} 处" if result["corrections"] else "")
            + (f"，{result['to_review']} 项待核对" if result["to_review"] else "")
        )
        st.rerun()
if cols[1].button("放弃", key="import_cancel"):
    st.session_state.pop(DRAFT, None)
    st.rerun()
