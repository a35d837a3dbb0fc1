"""What every page shares: the database, the signed-in user, the chosen report and date, caches."""

from __future__ import annotations

import json
import os
import re
import threading
import time
from datetime import UTC, date, datetime
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


COOKIE = "luoshi_session"  # the sign-in token that survives a reload (issue 14)


def current_user(db) -> dict | None:
    """The signed-in user, or None. Checked on every run: an idle session, a disabled account, a
    changed password or role (credential_version, issue 17 #5) or a revoked token signs it out.

    A new browser connection (a reload) with a valid sign-in cookie is signed in again.
    """
    if not st.session_state.get("user") and not _resume(db):
        return None
    user = st.session_state["user"]  # a resumed session goes through the same checks, keeps its unit
    row = store.get_user(db, user["name"])
    idle = time.time() - st.session_state.get("last_seen", 0) > auth.IDLE_MINUTES * 60
    if row is None or row["disabled"] or idle:
        sign_out("登录已超时，请重新登录" if idle else None)
        return None
    # sign_in records the version; a session put in place without it (tests) takes the current one
    version = st.session_state.setdefault("credential_version", row["credential_version"])
    token = st.session_state.get("session_token")
    if row["credential_version"] != version or (token and auth.resume_session(db, token) is None):
        sign_out("账号的密码、角色或状态已变更，或登录已失效，请重新登录")
        return None
    st.session_state["last_seen"] = time.time()
    return {"name": row["name"], "role": row["role"], "unit": row.get("unit")}


def _resume(db) -> bool:
    """Sign in again from the cookie the browser sent with this connection, if it is still valid.

    The cookie is read through st.context.cookies, which Streamlit fills from the connection's
    request before the first run, so nothing private is drawn before the sign-in is known (the
    cookie component would need a rerun to report it).
    """
    token = cookie_token()
    resumed = auth.resume_session(db, token) if token else None
    if resumed is None:
        return False
    st.session_state.update(
        user={"name": resumed["name"], "role": resumed["role"]},
        last_seen=time.time(),
        credential_version=resumed["credential_version"],
        session_token=token,
    )
    return True


def cookie_token() -> str | None:
    """The sign-in token the browser sent with this connection (AppTest sends no cookies)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) else None


def client_address() -> str | None:
    """The client's address, for login throttling (None on localhost and in AppTest).

    Behind a reverse proxy every client has the proxy's address: with $TRACKER_TRUST_PROXY=1 the
    proxy's X-Forwarded-For (its first entry) or X-Real-IP is used instead. Only set it when a proxy
    in front overwrites those headers, or clients could choose their own address.
    """
    if os.environ.get("TRACKER_TRUST_PROXY", "").strip().lower() in ("1", "true", "yes"):
        forwarded = st.context.headers.get("X-Forwarded-For") or st.context.headers.get("X-Real-IP")
        if isinstance(forwarded, str) and forwarded.strip():
            return forwarded.split(",")[0].strip()
    value = st.context.ip_address
    return value if isinstance(value, str) else None


def sign_in(user: dict) -> None:
    """Remember the user in this browser tab and, for `auth.session_hours()`, across reloads."""
    db = get_db()
    for key in (LANDED, SAVED, "org", "report_id"):  # land on this user's report (sidebar)
        st.session_state.pop(key, None)
    st.session_state["user"] = {"name": user["name"], "role": user["role"]}
    st.session_state["last_seen"] = time.time()
    st.session_state["credential_version"] = auth.credential_version(db, user["name"])
    if auth.session_hours() > 0:
        token, expires = auth.open_session(db, user["name"])
        st.session_state["session_token"] = token
        st.session_state["cookie_action"] = ("set", token, expires)


def sign_out(message: str | None = None) -> None:
    """Forget the user here and revoke the persistent session, so a reload does not sign in again."""
    token = st.session_state.pop("session_token", None)
    if token:
        auth.close_session(get_db(), token)
        st.session_state["cookie_action"] = ("delete", "", None)
    for key in ("user", "last_seen", "credential_version", LANDED, SAVED, "org", "report_id"):
        st.session_state.pop(key, None)
    if message:
        st.session_state["flash"] = message


def sync_cookie() -> None:
    """Set or delete the sign-in cookie that sign_in / sign_out asked for (once, on the next run).

    Streamlit reads cookies (st.context.cookies) but cannot set them: a one-line script in the page
    (st.html with JavaScript) does, with SameSite=Strict, and Secure under HTTPS. It needs no
    component and no extra run, which a cookie component (extra-streamlit-components' CookieManager:
    its own iframe and bundle, and a rerun when it reports back) cost at every sign-in: about 1 s
    measured by `bench browser` (issue 15). In AppTest the element is inert.
    """
    action = st.session_state.pop("cookie_action", None)
    if action is None:
        return
    kind, token, expires = action
    st.html(f"<script>document.cookie = {json.dumps(cookie_header(kind, token, expires))};</script>",
            unsafe_allow_javascript=True)  # fmt: skip


def cookie_header(kind: str, token: str, expires: datetime | None) -> str:
    """The document.cookie assignment that sets (kind "set") or deletes the sign-in cookie."""
    if kind == "set":
        when = (expires or datetime.now(UTC)).astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
        parts = [f"{COOKIE}={token}", f"expires={when}"]
    else:  # an expiry in the past deletes it
        parts = [f"{COOKIE}=", "expires=Thu, 01 Jan 1970 00:00:00 GMT", "max-age=0"]
    parts += ["path=/", "SameSite=Strict"]
    if cookie_secure():
        parts.append("Secure")
    return "; ".join(parts)


def cookie_secure() -> bool:
    """Secure cookies: $TRACKER_COOKIE_SECURE (1/0), else whenever the page is served over HTTPS."""
    forced = os.environ.get("TRACKER_COOKIE_SECURE", "").strip().lower()
    if forced in ("1", "true", "yes"):
        return True
    if forced in ("0", "false", "no"):
        return False
    proto, url = st.context.headers.get("X-Forwarded-Proto"), st.context.url
    return (isinstance(proto, str) and proto.lower() == "https") or (
        isinstance(url, str) and url.startswith("https:")
    )


# whose landing the session's report choice is, and the (org, report) last saved for them
LANDED = "landed_user"
SAVED = "prefs_saved"


def sidebar(db, user: dict) -> None:
    """Report and as-of date pickers (kept in the entry file so they survive page switches), logout.

    At sign-in the organisation and report are restored from the account's saved choice (a leader
    gets the organisation's current plan year instead); each choice made here is saved for next time.
    """
    reports = load_reports(store.db_path(), service.data_version(db))
    with st.sidebar:
        st.markdown(f"**{plain(user['name'])}** · {store.role_label(user['role'])}")
        if st.button("退出登录", key="logout"):
            sign_out()
            st.rerun()
        if not reports:
            st.info("还没有导入报告")
            return
        if st.session_state.get(LANDED) not in (None, user["name"]) or st.session_state.get(
            "report_id"
        ) not in {r["id"] for r in reports}:
            land(db, user, reports)
        st.session_state[LANDED] = user["name"]
        orgs = sorted({org_label(r) for r in reports})
        if len(orgs) > 1:  # several organisations: choose one, then its year
            current = next((r for r in reports if r["id"] == st.session_state.get("report_id")), reports[0])
            if st.session_state.get("org") not in orgs:
                st.session_state["org"] = org_label(current)
            st.selectbox("单位", orgs, key="org")
            reports = [r for r in reports if org_label(r) == st.session_state["org"]]
        ids = [r["id"] for r in reports]
        labels = {r["id"]: report_label(r) for r in reports}
        if st.session_state.get("report_id") not in ids:  # another organisation: its current year
            st.session_state["report_id"] = current_report(reports, dates.today().year)["id"]
        st.selectbox("报告年度" if len(orgs) > 1 else "报告", ids, format_func=labels.get, key="report_id")
        chosen = next(r for r in reports if r["id"] == st.session_state["report_id"])
        remember(db, user, org_label(chosen), chosen["id"])
        default = service.default_as_of(chosen["plan_year"], dates.today())
        # "as_of" is a widget key: Streamlit drops it on a run without the sidebar (the login page)
        if st.session_state.get("as_of_report") != chosen["id"] or "as_of" not in st.session_state:
            st.session_state["as_of"] = default
            st.session_state["as_of_report"] = chosen["id"]
        st.date_input(
            "统计截至",
            key="as_of",
            format="YYYY-MM-DD",
            help="按这一天计算序时进度、亮灯和是否超期；状态与进度为当前记录。",
        )


def land(db, user: dict, reports: list[dict]) -> None:
    """Put the signed-in user on their report: the one they chose last (see `landing`)."""
    org, report_id = landing(reports, user["role"], store.get_prefs(db, user["name"]), dates.today().year)
    st.session_state["org"] = org
    st.session_state["report_id"] = report_id
    st.session_state[SAVED] = (org, report_id)  # landing is no choice: nothing to save


def remember(db, user: dict, org: str, report_id: str) -> None:
    """Save the user's choice when it changed (a row per user, not an event: see store.prefs)."""
    if st.session_state.get(SAVED) != (org, report_id):
        store.save_prefs(db, user["name"], org, report_id)
        st.session_state[SAVED] = (org, report_id)


def choose_report(report: dict) -> None:
    """Make `report` the sidebar's choice from a button's on_click (before the sidebar is drawn)."""
    st.session_state["org"] = org_label(report)
    st.session_state["report_id"] = report["id"]


def landing(reports: list[dict], role: str, prefs: dict | None, year: int) -> tuple[str, str]:
    """(organisation, report id) a user lands on at sign-in.

    Staff and admins get the report they chose last, if it still exists. Leaders, and anyone without
    a saved choice, get their organisation's report for the current plan year (else its latest plan
    year), not the newest import: their organisation is the one they chose last, else the one with a
    report for this year (else the latest plan year, then by name).
    """
    by_id = {r["id"]: r for r in reports}
    saved = by_id.get((prefs or {}).get("report_id"))
    if saved is not None and role != Role.LEADER:
        return org_label(saved), saved["id"]
    orgs = {org_label(r) for r in reports}
    org = (prefs or {}).get("org") or (org_label(saved) if saved else "")
    if org not in orgs:
        org = min(orgs, key=lambda o: (_year_rank([r for r in reports if org_label(r) == o], year), o))
    return org, current_report([r for r in reports if org_label(r) == org], year)["id"]


def current_report(reports: list[dict], year: int) -> dict:
    """The report whose plan year is `year`, else the one with the latest plan year."""
    return min(reports, key=lambda r: _year_rank([r], year))


def _year_rank(reports: list[dict], year: int) -> tuple:
    """Sorts the report (or the organisation) with plan year `year` first, then the latest plan year."""
    years = [r["plan_year"] or 0 for r in reports]
    return (year not in years, -max(years))


def org_label(r: dict) -> str:
    return r["org"] or r["title"] or r["filename"] or r["id"]


def report_label(r: dict) -> str:
    return f"{r['plan_year'] or '?'}年 · {org_label(r)}"


def report_id() -> str | None:
    return st.session_state.get("report_id")


def as_of() -> date:
    return st.session_state.get("as_of") or dates.today()


def flash() -> None:
    """Show, once, the message a previous run left (after a save and rerun)."""
    message = st.session_state.pop("flash", None)
    if message:
        st.success(plain(message))


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def load_reports(path: Path, version: tuple) -> list[dict]:
    # `path` and `version` key the cache; the read uses this thread's connection (no new one a miss)
    return store.list_reports(get_db())


@st.cache_data(ttl=300, max_entries=64, show_spinner=False)
def load_overview(path: Path, report_id: str, as_of: date, version: tuple) -> service.Overview:
    return service.overview(get_db(), report_id, as_of)


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
    """A stored UTC event time in the local zone (dates.local_zone), 'YYYY-MM-DD HH:MM:SS'."""
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
