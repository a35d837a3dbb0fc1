"""督办 widgets the pages share (not a page): scope filtering, the import review's new units, and a
commitment's panel (assignment, leaders' instructions, progress reports with evidence, the report form)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from tracker import evidence, periods, store
from tracker.errors import TrackerError
from tracker.ui import common

ROLE_LABELS = {"lead": "牵头", "co": "配合"}


def user_row(db) -> dict:
    return store.get_user(db, st.session_state["user"]["name"]) or {}


def visible(db) -> set[str] | None:
    """The commitments the signed-in user may see (None: all)."""
    return store.visible_items(db, st.session_state["user"]["name"])


def scoped(db, ov):
    """The overview with only the commitments (and their goals) the signed-in user may see."""
    ids = visible(db)
    if ids is None:
        return ov
    items = ov.items[ov.items["id"].isin(ids)]
    goals = ov.goals[ov.goals["item_id"].isin(ids)]  # a goal belongs to the commitment it names
    return dataclasses.replace(ov, items=items, goals=goals)


def only_visible(db, by_item: dict) -> dict:
    """The entries of a dict keyed by item id that the signed-in user may see."""
    ids = visible(db)
    return by_item if ids is None else {k: v for k, v in by_item.items() if k in ids}


def visible_events(db, events: list[dict]) -> list[dict]:
    """The events the signed-in user may see: for a unit's staff, those on its commitments and their goals."""
    targets = store.visible_targets(db, st.session_state["user"]["name"])
    if targets is None:
        return events
    return [e for e in events if e["target_type"] in ("item", "metric") and e["target_id"] in targets]


def units_text(item_row: dict) -> str:
    a = store.assignment(item_row)
    co = "、".join(a["co"])
    return f"牵头：{a['lead'] or '未分配'}" + (f"；配合：{co}" if co else "")


# --- the import review ---------------------------------------------------------------------------


def new_units_picker(db, report) -> list[str]:
    """Owner texts naming no known unit, each with a 添加为单位 box; returns the names ticked."""
    names = [u["name"] for u in store.list_units(db)]
    unknown: list[str] = []
    for it in report.items:
        for text in (it.owner, it.co_owner):
            for name in store.match_units(text, names)[1]:
                if name not in unknown:
                    unknown.append(name)
    if not unknown:
        return []
    st.markdown("**报告中提到、尚未登记的单位**（勾选后在确认导入时添加，并按原文分配牵头、配合单位）")
    return [
        name for k, name in enumerate(unknown) if st.checkbox(f"添加为单位：{name}", key=f"import_unit_{k}")
    ]


def after_import(db, report_id: str, chosen: list[str]) -> int:
    """After a confirmed import: add the chosen units, assign commitments from their owner texts."""
    return store.assign_from_text(db, st.session_state["user"]["name"], report_id, add=chosen)


# --- a commitment's panel ------------------------------------------------------------------------


def item_panel(db, item_id: str, key: str) -> None:
    """Assignment (office), instructions (leaders write, units mark read), reports and the report form."""
    user = user_row(db)
    ids = visible(db)
    if ids is not None and item_id not in ids:
        st.error("无权查看不属于本单位的任务")
        return
    item = store.get_row(db, "items", item_id)
    st.markdown(f"**督办单位** {common.plain(units_text(item))}")
    if store.may(user.get("role"), "assign") and not user.get("unit"):
        assign_form(db, item, key)
    instructions_box(db, item, user, key)
    if store.may(user.get("role"), "report"):
        report_form(db, [item_id], key)
    reports_list(db, [item_id], key)


def assign_form(db, item: dict, key: str) -> None:
    units = [u["name"] for u in store.list_units(db, active_only=True)]
    a = store.assignment(item)
    if not units:
        st.caption("还没有单位：管理员可在“单位”页面添加")
        return
    with st.form(f"{key}_assign"):
        st.markdown("**分配单位**")
        c1, c2 = st.columns(2)
        options = ["", *units]
        lead = c1.selectbox(
            "牵头单位", options, index=options.index(a["lead"]) if a["lead"] in options else 0,
            format_func=lambda u: u or "（未分配）", key=f"{key}_lead",
        )  # fmt: skip
        co = c2.multiselect("配合单位", units, default=[u for u in a["co"] if u in units], key=f"{key}_co")
        if st.form_submit_button("保存分配") and common.write(
            db, "assign", item["id"], value={"lead": lead, "co": co}
        ):
            st.session_state["flash"] = "已保存分配"
            st.rerun()


def instructions_box(db, item: dict, user: dict, key: str) -> None:
    rows = store.instructions(db, [item["id"]])
    st.markdown("**领导批示**")
    for ins in reversed(rows):
        read = "、".join(ins["read_by"])
        st.info(
            f"{common.plain(ins['by'])}（{common.local_time(ins['at'])[:16]}）：{common.plain(ins['text'])}"
            + (f"\n\n已阅：{common.plain(read)}" if read else "")
        )
        unit = user.get("unit")
        unread = unit and unit not in ins["read_by"]
        if (
            unread
            and st.button("标为已阅", key=f"{key}_read_{ins['id']}")
            and common.write(db, "read", item["id"], instruction=ins["id"])
        ):
            st.session_state["flash"] = "已标为已阅"
            st.rerun()
    if not rows:
        st.caption("暂无批示")
    if store.may(user.get("role"), "comment"):
        with st.form(f"{key}_comment", clear_on_submit=True):
            text = st.text_area("批示内容", key=f"{key}_comment_text", max_chars=store_max("instruction"))
            if st.form_submit_button("提交批示") and common.write(db, "comment", item["id"], text=text):
                st.session_state["flash"] = "已提交批示"
                st.rerun()


def store_max(what: str) -> int:
    from tracker.store import supervision

    return {"instruction": supervision.MAX_INSTRUCTION, "report": supervision.MAX_REPORT_TEXT}[what]


def report_form(db, item_ids: list[str], key: str) -> None:
    """报送进展: one commitment (or a choice), an opened period, the text and evidence files."""
    opened = store.list_periods(db)
    if not opened:
        st.caption("还没有开启报告期，暂不能报送进展")
        return
    labels = [p["label"] for p in reversed(opened)]
    with st.form(f"{key}_report", clear_on_submit=True):
        st.markdown("**报送进展情况**")
        item_id = item_ids[0]
        if len(item_ids) > 1:
            titles = {r["id"]: r["title"] for r in store.supervision_items(db, item_ids)}
            item_id = st.selectbox("任务", list(titles), format_func=titles.get, key=f"{key}_report_item")
        period = st.selectbox(
            "报告期", labels, format_func=lambda x: f"{periods.period(x).name}（{x}）", key=f"{key}_period"
        )
        text = st.text_area("进展情况", key=f"{key}_report_text", max_chars=store_max("report"))
        uploads = st.file_uploader(
            "佐证材料（PDF、Word、Excel、JPG、PNG、TXT，每个不超过 20 MB）",
            accept_multiple_files=True, key=f"{key}_files",
        )  # fmt: skip
        submitted = st.form_submit_button("报送")
    if submitted:
        files = [(f.name, f.getvalue()) for f in uploads or []]
        try:
            for name, data in files:
                evidence.check(data, name)
        except TrackerError as e:
            st.error(common.plain(str(e)))
            return
        if common.write(db, "report", item_id, period=period, text=text, files=files):
            latest = store.progress_reports(db, [item_id], period=period)[0]
            late = "（逾期报送）" if latest["late"] else ""
            st.session_state["flash"] = f"已报送 {period} 进展{late}，佐证材料 {len(files)} 个"
            st.rerun()


def reports_list(
    db, item_ids: list[str], key: str, period: str | None = None, unit: str | None = None
) -> None:
    """The reports (latest of each unit and period first), their evidence with download buttons."""
    rows = [
        r for r in store.progress_reports(db, item_ids, period=period) if unit is None or r["unit"] == unit
    ]
    if not rows:
        st.caption("暂无进展报送")
        return
    titles = {r["id"]: r["title"] for r in store.supervision_items(db, item_ids)}
    for r in rows:
        state = "逾期" if r["late"] else "按时"
        old = "（已被更新的报送取代）" if r["superseded"] else ""
        with st.expander(
            f"{r['period']} · {r['unit']} · {state} · {r['filed']}{old} · {titles.get(r['item_id'], '')[:30]}",
            expanded=not r["superseded"] and len(rows) <= 3,
        ):
            st.text(r["text"])
            st.caption(f"报送人 {r['by']}，{common.local_time(r['at'])}")
            for k, f in enumerate(r["files"]):
                st.download_button(
                    f"下载 {f['name']}（{f['size'] / 1024:.0f} KB）",
                    data=store.blob(db, f["sha256"]),
                    file_name=f["name"],
                    mime=evidence.KINDS[f["kind"]].mime,
                    key=f"{key}_dl_{r['id']}_{k}",
                )


def state_table(rows: list[dict]) -> pd.DataFrame:
    """The units × periods matrix as a DataFrame (unit as index, 未报/逾期/按时 cells)."""
    frame = pd.DataFrame(rows)
    return frame.set_index("unit") if not frame.empty else frame


def colour_cell(value) -> str:
    if not value:
        return ""
    colour = periods.ReportState.from_label(value).colour
    return f"background-color: {colour}; color: white"
