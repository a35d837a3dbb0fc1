"""导入 (admin): upload a report, review the extraction beside the highlighted source, correct, confirm.

The uploaded file goes into st.session_state[PENDING] and is read on the next line; the draft under
review lives in st.session_state[DRAFT]. Every correction is a function of tracker.intake, so the
page only draws widgets and calls them.
"""

from dataclasses import asdict

import pandas as pd
import streamlit as st

from tracker import dates, goal_types, highlight, intake, service, store
from tracker.errors import TrackerError
from tracker.model import BOUND_LABELS, PART_LABELS, PLAN, REVIEW, Bound
from tracker.read import MAX_BYTES
from tracker.ui import common, duban

DRAFT = "import_draft"
PENDING = "import_pending"  # (filename, bytes) waiting to be read
ERROR = "import_error"
PART = PART_LABELS
FOCUS = "import_focus"  # the mark the source scrolls to: "item-3" / "metric-7"
METRICS_TABLE = "import_metrics_table"  # + "_<number of corrections>"
ITEMS_TABLE = "import_items_table"
TABLE_HEIGHT = 600
SOURCE_HEIGHT = 900
# what the review has chosen (tables, selectboxes, the focused mark): cleared for a new document
SELECTION = (
    FOCUS,
    "import_metric",
    "import_item",
    "import_metric_seen",
    "import_item_seen",
    "import_metric_picked",
    "import_item_picked",
    "import_edit_for",
)
BOUNDS = ("", Bound.MIN, Bound.MAX)
# scroll the source's own box (not the page) so the outlined mark sits in its middle
SCROLL_TO_FOCUS = """<script>
setTimeout(function () {
  var marks = document.querySelectorAll(".report-text mark.focus");
  var el = marks[marks.length - 1];
  if (!el) return;
  var box = el.parentElement;
  while (box && !(box.scrollHeight > box.clientHeight + 4 && /(auto|scroll)/.test(getComputedStyle(box).overflowY))) {
    box = box.parentElement;
  }
  if (!box) return;
  box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 2;
}, 100);
</script>"""

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
    for key in (DRAFT, ERROR, *SELECTION):  # a new document: nothing of the last one stays chosen
        st.session_state.pop(key, None)
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
        for key in ("import_metric_picked", "import_item_picked"):  # the tables start unselected
            st.session_state.pop(key, None)
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


def show_imported(report_id: str | None) -> None:
    """Which report the last import wrote, with a way to open it (other users' choices are untouched)."""
    row = next((r for r in store.list_reports(db) if r["id"] == report_id), None)
    if row is None:
        return
    st.info(
        f"刚导入的报告：{common.plain(common.report_label(row))}（{common.plain(row['filename'] or '')}）"
    )
    if st.button("打开这份报告", key="import_open", on_click=common.choose_report, args=(row,)):
        st.switch_page(common.page("overview"))


draft: intake.Draft | None = st.session_state.get(DRAFT)
if draft is None:
    show_imported(st.session_state.get("import_last_report"))
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
        f"同样内容的文件已于 {dates.local_time(same['imported_at'])[:16]} 由 {same['imported_by']} 导入"
        f"（{same['plan_year'] or '?'} 年 · {common.plain(same['org'] or same['title'])}）。再次确认只会写入新的修改。"
    )
if draft.saved:
    st.info(f"已自动套用此前导入时所做的 {draft.saved} 处修改。")
if fixed.skipped:
    st.warning(
        "以下此前的修改在这个版本中对不上，未套用：\n\n"
        + "\n".join(f"- {common.plain(intake.describe(op))}" for op in fixed.skipped)
    )

with st.expander("单位和年度", expanded=bool(intake.missing_meta(report))):
    cols = st.columns(4)
    org = cols[0].text_input("单位", value=report.org, key="import_org")
    title = cols[1].text_input("标题", value=report.title, key="import_title")
    review_year = cols[2].number_input("回顾年度", 1949, 2100, value=report.review_year, key="import_ry")
    plan_year = cols[3].number_input("计划年度", 1949, 2100, value=report.plan_year, key="import_py")
    if st.button("保存单位和年度", key="import_meta"):
        change(
            intake.set_meta,
            org=org if org != report.org else None,
            title=title if title != report.title else None,
            review_year=int(review_year) if review_year and review_year != report.review_year else None,
            plan_year=int(plan_year) if plan_year and plan_year != report.plan_year else None,
            done="已修改单位和年度",
        )

n_plan = sum(1 for it in report.items if it.part == PLAN)
st.markdown(
    f"{report.review_year or '?'} 年{REVIEW.label} · {report.plan_year or '?'} 年{PLAN.label} · "
    f"条目 {len(report.items)} 项（计划任务 {n_plan} 项）· 数字 {len(report.metrics)} 个"
)


def matches(query: str, *texts) -> bool:
    return not query or any(query in str(t or "") for t in texts)


def picked(event, frame: pd.DataFrame, seen_key: str) -> int | None:
    """The row (0-based index into the report) newly selected in a table, else None.

    `frame.index` holds 1-based numbers, so a filtered table still names the right row."""
    rows = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    row = int(frame.index[rows[0]]) - 1 if rows and rows[0] < len(frame) else None
    if row is None or st.session_state.get(seen_key) == row:
        return None
    st.session_state[seen_key] = row
    return row


def picked_in_table(
    shown: pd.DataFrame, total: int, noun: str, key: str, seen_key: str, query: str
) -> int | None:
    """Draw a table (filtered by `query`) whose rows can be selected; the row newly picked (`picked`)."""
    if query:
        st.caption(f"筛选出 {len(shown)} / {total} {noun}")
    event = st.dataframe(shown, key=key, height=TABLE_HEIGHT, on_select="rerun", selection_mode="single-row")
    return picked(event, shown, seen_key)


def follow(select_key: str, focus: str) -> None:
    """Point the source at what a selectbox now shows, when the person changed it."""
    seen, now = f"{select_key}_seen", st.session_state.get(select_key)
    if seen not in st.session_state:  # the first drawing: nothing chosen yet
        st.session_state[seen] = now
    elif now is not None and st.session_state[seen] != now:
        st.session_state[seen] = now
        st.session_state[FOCUS] = f"{focus}-{now}"


query = st.text_input(
    "搜索", key="import_search", placeholder="输入文字筛选条目和数字，如 工作室、%、亿元"
).strip()
version = len(draft.ops)  # a correction renumbers rows: tables start without a selection
titles = [it.title for it in report.items]
left, right = st.columns([1, 1])
with left:
    tab_metrics, tab_items = st.tabs([f"数字（{len(report.metrics)}）", f"条目（{len(report.items)}）"])
with tab_metrics:
    metrics = pd.DataFrame(
        {
            "部分": [PART.get(m.part, m.part) for m in report.metrics],
            "类别": [intake.KIND_LABELS.get(m.kind, m.kind) for m in report.metrics],
            "内容": [m.activity for m in report.metrics],
            "数值": ["***" if m.value is None else f"{m.value:g}" for m in report.metrics],
            "单位": [m.unit for m in report.metrics],
            "界限": [BOUND_LABELS.get(m.bound, "") if m.bound else "" for m in report.metrics],
            "目标类型": [
                goal_types.GOAL_TYPE_LABELS.get(m.type, "") if m.type else "" for m in report.metrics
            ],
            "原文": [m.quote for m in report.metrics],
            "所属条目": [titles[m.item] if m.item is not None else "" for m in report.metrics],
        },
        index=range(1, len(report.metrics) + 1),
    )
    shown_metrics = metrics[
        [
            matches(query, m.activity, m.quote, m.unit, row)
            for m, row in zip(report.metrics, metrics["所属条目"], strict=True)
        ]
    ]
    row = picked_in_table(
        shown_metrics, len(metrics), "个数字", f"{METRICS_TABLE}_{version}", "import_metric_picked", query
    )
    if row is not None:  # a row chosen in the table: the tools below and the source follow it
        st.session_state["import_metric"] = row
    st.caption("点选一行：右侧原文滚动到该处，下方可修改或删除该数字。")
    metric_labels = {k: f"{k + 1}. {m.quote}" for k, m in enumerate(report.metrics)}
    chosen_metric = st.selectbox(
        "选择数字", list(metric_labels), format_func=metric_labels.get, key="import_metric"
    )
    follow("import_metric", "metric")
    tab_edit, tab_add = st.tabs(["修改或删除所选数字", "补充漏掉的数字"])
    with tab_edit:
        if chosen_metric is not None:
            m = report.metrics[chosen_metric]
            if st.session_state.get("import_edit_for") != (chosen_metric, version):
                st.session_state["import_edit_for"] = (chosen_metric, version)
                st.session_state["import_edit_value"] = "***" if m.value is None else f"{m.value:g}"
                st.session_state["import_edit_unit"] = m.unit
                st.session_state["import_edit_bound"] = m.bound or ""
                st.session_state["import_edit_kind"] = m.kind
                st.session_state["import_edit_type"] = m.type or goal_types.ACCUMULATE
            cols = st.columns(3)
            new_value = cols[0].text_input("数值（隐去的填 ***）", key="import_edit_value")
            new_unit = cols[1].text_input("单位", key="import_edit_unit")
            new_bound = cols[2].selectbox(
                "界限", BOUNDS, format_func=lambda b: BOUND_LABELS.get(b, "无"), key="import_edit_bound"
            )
            cols = st.columns(2)
            new_kind = cols[0].selectbox(
                "类别", intake.KINDS, format_func=intake.KIND_LABELS.get, key="import_edit_kind"
            )
            new_type = cols[1].selectbox(
                "目标类型",
                goal_types.GOAL_TYPES,
                format_func=goal_types.GOAL_TYPE_LABELS.get,
                key="import_edit_type",
                disabled=new_kind != "target",
                help="累计：逐次填报相加；水平：填报当前值，与目标比较；上限：不得超过；节点：完成与否。",
            )
            cols = st.columns([1, 1, 1])
            if cols[0].button("保存修改", key="import_edit_metric", type="primary"):
                fields = {"value": new_value, "unit": new_unit, "bound": new_bound, "kind": new_kind}
                if new_kind == "target":
                    fields["type"] = new_type
                change(intake.edit_metric, chosen_metric, done="已修改数字", **fields)
            if cols[1].button("不是指标", key="import_drop_metric", help="删除这个误识别的数字"):
                change(intake.drop_metric, chosen_metric, done="已删除数字")
    with tab_add:
        quote = st.text_input("原文（从右侧原文中选中并复制数字所在的文字）", key="import_quote")
        cols = st.columns(3)
        value = cols[0].text_input("数值（隐去的填 ***）", key="import_value")
        unit = cols[1].text_input("单位", key="import_unit", placeholder="次、家、万人")
        activity = cols[2].text_input("内容", key="import_activity", placeholder="如 专题协商")
        st.caption("原文出现多次时，取离所选条目最近的一处。")
        if st.button("补充数字", key="import_add_metric"):
            item_index = st.session_state.get("import_item")
            near = (
                report.items[item_index].start
                if item_index is not None and item_index < len(report.items)
                else 0
            )
            change(intake.add_metric, quote, value, unit, activity, near=near, done="已补充数字")

with tab_items:
    items = pd.DataFrame(
        {
            "部分": [PART.get(it.part, it.part) for it in report.items],
            "节": [it.section for it in report.items],
            "标题": [it.title for it in report.items],
            "截止": [it.due or "" for it in report.items],
        },
        index=range(1, len(report.items) + 1),
    )
    shown_items = items[[matches(query, it.title, it.text) for it in report.items]]
    row = picked_in_table(
        shown_items, len(items), "项条目", f"{ITEMS_TABLE}_{version}", "import_item_picked", query
    )
    if row is not None:
        st.session_state["import_item"] = row
    item_labels = {
        k: f"{k + 1}. [{PART.get(it.part, it.part)}] {it.title}" for k, it in enumerate(report.items)
    }
    chosen = st.selectbox("选择条目", list(item_labels), format_func=item_labels.get, key="import_item")
    follow("import_item", "item")
    tab_rename, tab_merge, tab_split, tab_drop = st.tabs(["改名", "与下一项合并", "拆分", "不是任务"])
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
    with tab_drop:
        st.caption(
            "所选条目不是一项工作任务（如称呼、结束语、背景介绍）：删除它；其中的数字保留，可在“数字”中逐个删除。"
        )
        if st.button("不是任务，删除此条目", key="import_drop_item"):
            change(intake.drop_item, chosen, done="已删除条目")

with right:
    st.markdown("**原文**（蓝色：条目；橙色：数字目标；绿色：统计数字；粉色：隐去的数字；红框：所选）")
    with st.container(height=SOURCE_HEIGHT, key="import_source"):
        st.html(
            highlight.to_html(
                report.text,
                [asdict(i) for i in report.items],
                [asdict(m) for m in report.metrics],
                focus=st.session_state.get(FOCUS),
            )
            + SCROLL_TO_FOCUS,
            unsafe_allow_javascript=True,
        )

new_ops = draft.ops[draft.saved :]
if new_ops:
    st.markdown("**本次修改**")
    st.markdown("\n".join(f"{k + 1}. {common.plain(intake.describe(op))}" for k, op in enumerate(new_ops)))
    if st.button("撤回上一步修改", key="import_undo"):
        change(intake.undo_last, done="已撤回")

missing = intake.missing_meta(report)
if missing:
    st.warning(f"确认导入前请在“单位和年度”中填写：{'、'.join(missing)}")
new_units = duban.new_units_picker(db, report)  # 督办: owners named in the text, offered as units
cols = st.columns([1, 1, 4])
if cols[0].button("确认导入", type="primary", key="import_confirm"):
    try:
        result = service.confirm_import(db, draft, user["name"], require_meta=True)
        duban.after_import(db, result["report_id"], new_units)
    except TrackerError as e:
        st.error(common.plain(str(e)))
    else:
        for key in (DRAFT, FOCUS, "import_item_seen", "import_metric_seen", "import_edit_for"):
            st.session_state.pop(key, None)
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
