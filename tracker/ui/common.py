"""What every page shares: the database, the signed-in user, the chosen report and date, caches."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from datetime import date
from pathlib import Path

import streamlit as st

from tracker import auth, dates, service, store
from tracker.model import Role

UI = Path(__file__).resolve().parent

# file name, title, icon; file pages so that AppTest.switch_page can reach them
PAGES = {
    "setup": ("setup.py", "初始设置", ":material/person_add:"),
    "login": ("login.py", "登录", ":material/login:"),
    "overview": ("overview.py", "总览", ":material/dashboard:"),
    "tasks": ("tasks.py", "任务", ":material/checklist:"),
    "activities": ("activities.py", "活动", ":material/event_note:"),
    "report": ("report.py", "报告", ":material/article:"),
    "history": ("history.py", "历史", ":material/history:"),
    "users": ("users.py", "用户", ":material/group:"),
    "import": ("import_page.py", "导入", ":material/upload_file:"),
    "export": ("export.py", "导出", ":material/download:"),
    "my_tasks": ("my_tasks.py", "我的任务", ":material/assignment_ind:"),
    "supervision": ("supervision.py", "督办", ":material/fact_check:"),
    "units": ("units.py", "单位", ":material/corporate_fare:"),
}
PAGES_BY_ROLE = {
    Role.LEADER: ["overview", "report", "history", "export", "supervision"],
    Role.STAFF: ["overview", "tasks", "activities", "report", "history", "export", "supervision"],
    Role.ADMIN: [
        "overview", "tasks", "activities", "report", "history", "users", "import", "export", "supervision", "units",
    ],
}  # fmt: skip
# a unit's staff (督办): their landing page first, and only pages that show their unit's commitments
UNIT_PAGES = ["my_tasks", "tasks", "history"]


def pages_for(user: dict) -> list[str]:
    """The pages a signed-in user may open: by role, or a unit's pages for a unit's account."""
    return UNIT_PAGES if user.get("unit") else PAGES_BY_ROLE[user["role"]]


def page(name: str, default: bool | None = None) -> st.Page:
    file, title, icon = PAGES[name]
    if default is None:
        default = name in ("overview", "setup", "login")
    return st.Page(str(UI / file), title=title, icon=icon, default=default)


_local = threading.local()


def get_db():
    """This thread's connection to the database (created and seeded on first use).

    Reruns run on other threads, so a connection is never shared between threads; within a run the
    entry file and the page get the same one instead of opening and migrating twice.
    """
    path = store.db_path()
    if getattr(_local, "path", None) != path:
        if getattr(_local, "db", None) is not None:
            _local.db.close()  # $TRACKER_DB changed (tests do): drop the old file's connection
        _local.db, _local.path = service.open_default(path), path
    return _local.db


def overview(db, report_id: str) -> service.Overview:
    """The chosen report's overview as of the sidebar's date, cached until anything is written."""
    return load_overview(store.db_path(), report_id, as_of(), service.data_version(db))


def needs_setup(db) -> bool:
    return store.count_users(db) == 0


def current_user(db) -> dict | None:
    """The signed-in user, or None; an idle session or a disabled account is signed out."""
    user = st.session_state.get("user")
    if not user:
        return None
    row = store.get_user(db, user["name"])
    idle = time.time() - st.session_state.get("last_seen", 0) > auth.IDLE_MINUTES * 60
    if row is None or row["disabled"] or idle:
        sign_out("登录已超时，请重新登录" if idle else None)
        return None
    st.session_state["last_seen"] = time.time()
    return {"name": row["name"], "role": row["role"], "unit": row.get("unit")}


def sign_in(user: dict) -> None:
    st.session_state["user"] = user
    st.session_state["last_seen"] = time.time()


def sign_out(message: str | None = None) -> None:
    for key in ("user", "last_seen"):
        st.session_state.pop(key, None)
    if message:
        st.session_state["flash"] = message


def today() -> date:
    """Today, or $TRACKER_TODAY (YYYY-MM-DD) so tests and demos can fix the date."""
    fixed = os.environ.get("TRACKER_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def sidebar(db, user: dict) -> None:
    """Report and as-of date pickers (kept in the entry file so they survive page switches), logout."""
    reports = load_reports(store.db_path(), service.data_version(db))
    with st.sidebar:
        st.markdown(f"**{plain(user['name'])}** · {store.role_label(user['role'])}")
        if st.button("退出登录", key="logout"):
            sign_out()
            st.rerun()
        if not reports:
            st.info("还没有导入报告")
            return
        orgs = sorted({org_label(r) for r in reports})
        if len(orgs) > 1:  # several organisations: choose one, then its year
            current = next((r for r in reports if r["id"] == st.session_state.get("report_id")), reports[0])
            if st.session_state.get("org") not in orgs:
                st.session_state["org"] = org_label(current)
            st.selectbox("单位", orgs, key="org")
            reports = [r for r in reports if org_label(r) == st.session_state["org"]]
        ids = [r["id"] for r in reports]
        labels = {r["id"]: report_label(r) for r in reports}
        if st.session_state.get("report_id") not in ids:
            st.session_state["report_id"] = ids[0]
        st.selectbox("报告年度" if len(orgs) > 1 else "报告", ids, format_func=labels.get, key="report_id")
        chosen = next(r for r in reports if r["id"] == st.session_state["report_id"])
        default = service.default_as_of(chosen["plan_year"], today())
        # "as_of" is a widget key: Streamlit drops it on a run without the sidebar (the login page)
        if st.session_state.get("as_of_report") != chosen["id"] or "as_of" not in st.session_state:
            st.session_state["as_of"] = default
            st.session_state["as_of_report"] = chosen["id"]
        st.date_input(
            "统计截至", key="as_of", help="按这一天计算序时进度、亮灯和是否超期；状态与进度为当前记录。"
        )


def org_label(r: dict) -> str:
    return r["org"] or r["title"] or r["filename"] or r["id"]


def report_label(r: dict) -> str:
    return f"{r['plan_year'] or '?'}年 · {org_label(r)}"


def report_id() -> str | None:
    return st.session_state.get("report_id")


def as_of() -> date:
    return st.session_state.get("as_of") or today()


def flash() -> None:
    """Show, once, the message a previous run left (after a save and rerun)."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(plain(message))


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def load_reports(path: Path, version: tuple) -> list[dict]:
    return store.list_reports(store.connect(path))


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def load_overview(path: Path, report_id: str, as_of: date, version: tuple) -> service.Overview:
    return service.overview(store.connect(path), report_id, as_of)


def write(db, action: str, target_id: str, **kw) -> bool:
    """Call store.record as the signed-in user; show a library error as st.error. True on success."""
    from tracker.errors import TrackerError

    try:
        store.record(db, st.session_state["user"]["name"], action, target_id, **kw)
    except TrackerError as e:
        st.error(plain(str(e)))
        return False
    return True


def require_report() -> str:
    rid = report_id()
    if not rid:
        st.info("还没有导入报告")
        st.stop()
    return rid


ACTION_LABELS = store.ACTION_LABELS


def shown(value) -> str:
    """An event's JSON before/after value as text."""
    return "" if value is None else str(json.loads(value))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text) -> str:
    """Text that comes from a document or a person, escaped so that Streamlit's markdown shows it
    as typed: no links, images, emphasis, colours or icons smuggled in."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def local_time(at: str | None) -> str:
    """A stored UTC event time as Beijing time, 'YYYY-MM-DD HH:MM:SS'."""
    return dates.local_time(at)


def after_text(event: dict) -> str:
    """What an event set: the new value, the amount, or for an import what it found."""
    if event["action"] == "import" and event["after"]:
        found = json.loads(event["after"])
        return f"条目 {found.get('items', '?')}，数字 {found.get('metrics', '?')}"
    if event["after"]:
        return shown(event["after"])
    return "" if event["amount"] is None else f"{event['amount']:g}"


def change_text(event: dict) -> str:
    """'未开始 → 已完成' for a field change, '+3' for an amount."""
    if event["amount"] is not None:
        return f"{event['amount']:+g}"
    if event["field"] and event["action"] != "note":
        return f"{shown(event['before']) or '（空）'} → {shown(event['after']) or '（空）'}"
    return ""
