"""Accounts: argon2 password hashes, roles, login throttling, persistent sessions.

Rows are written through `store`. Throttling (issue 17 #3, #4) counts failures per name and client
address, atomically and *before* the slow hash check (an attempt is reserved, then checked), so
concurrent guesses cannot outrun the count; an unknown name is counted and refused exactly like a
real one. Sessions (issue 14, issue 17 #5) are random tokens stored as sha256, valid only while the
account's `credential_version` is the one they were opened with.
"""

from __future__ import annotations

import getpass
import hashlib
import math
import os
import re
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker import store
from tracker.dates import utc_stamp
from tracker.errors import InvalidInput, PermissionDenied
from tracker.model import ROLES, SYSTEM_USER, Role

MIN_PASSWORD = 8
MAX_FAILURES = 5  # failures in a row from one address before that address is locked out of the name
DELAY_AFTER = 3  # from this many failures on, each further try waits 2, 4, 8 ... seconds
NAME_CAP = 100  # failures from all addresses together before the name locks for everyone
LOCK_MINUTES = 15
IDLE_MINUTES = 30  # a session with no interaction for this long must log in again
SESSION_HOURS = 8.0  # a sign-in survives reloads this long ($TRACKER_SESSION_HOURS)
NAME_RE = re.compile(r"^[\w.\-@\u4e00-\u9fff]{1,40}$")
# names the app writes as an author for itself; no account may take them (issue 17 #14)
RESERVED_NAMES = frozenset({SYSTEM_USER, "cli", "root", "anonymous", "unknown"})
CLI_PREFIX = "cli:"  # CLI account changes are recorded as "cli:<operating-system user>"
ALL_ADDRESSES = "*"  # the per-name row that counts failures from every address

BAD_LOGIN = "用户名或密码错误"
LOCKED = f"登录失败次数过多，已锁定 {LOCK_MINUTES} 分钟，请稍后再试"
WEAK_PASSWORD = "密码太常见或太容易猜到（如 12345678、password、键盘连排），请换一个更长、更少见的密码"

_hasher = PasswordHasher()
_dummy_hash: str | None = None


class LoginFailed(PermissionDenied):
    """Wrong name or password, a disabled or a locked account."""


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise InvalidInput("用户名须为 1–40 个字母、数字、汉字或 . - _ @")
    if name.lower() in RESERVED_NAMES:
        raise InvalidInput(f"用户名 {name} 由系统保留，请换一个")
    return name


def check_password(password: str, name: str | None = None) -> str:
    """The password if it is acceptable; InvalidInput with one line saying why otherwise (#6)."""
    password = password or ""
    if not password.strip():
        raise InvalidInput("密码不能为空或全是空格")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > 256:
        raise InvalidInput("密码过长")
    if name and name.strip().lower() in password.lower():
        raise InvalidInput("密码不能包含用户名")
    if _guessable(password, name):
        raise InvalidInput(WEAK_PASSWORD)
    return password


def _guessable(password: str, name: str | None) -> bool:
    """zxcvbn's score under 2, or the whole password in its list of common passwords."""
    from zxcvbn import zxcvbn  # loads its frequency lists (~1 s) only when a password is set

    result = zxcvbn(password[:100], user_inputs=[name] if name else [])
    whole = [m for m in result["sequence"] if m["token"] == password[:100]]
    common = any(m["pattern"] == "dictionary" and m.get("dictionary_name") == "passwords" for m in whole)
    return result["score"] < 2 or common


def cli_actor() -> str:
    """Who a command-line account change is recorded as: 'cli:' and the operating-system user."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (some containers)
        who = f"uid{os.getuid()}"
    return f"{CLI_PREFIX}{who}"


def _from_cli(by: str | None) -> bool:
    """Changes made by the server's owner: the command line (or the first start's setup)."""
    return by is None or by == SYSTEM_USER or by.startswith(CLI_PREFIX)


def add_user(
    db: store.Database, name: str, role: str, password: str, by: str | None, unit: str | None = None
) -> None:
    """Create an account. `by` must be an admin, except for the very first account (setup) and the
    command line (`cli_actor()`), which is run by whoever owns the server. `unit` (督办): a staff
    account of that unit, which sees and changes only the unit's commitments."""
    name = check_name(name)
    if role not in ROLES:
        raise InvalidInput(f"角色必须是 {'/'.join(ROLES)} 之一")
    check_password(password, name)
    if store.count_users(db) == 0:
        if role != Role.ADMIN:
            raise InvalidInput("第一个账号必须是管理员")
    elif not _from_cli(by):
        store.check_permission(db, by, "users")
    if store.get_user(db, name):
        raise InvalidInput(f"用户 {name} 已存在")
    if unit and role != Role.STAFF:
        raise InvalidInput("只有工作人员账号可以属于某个单位")
    store.insert_user(db, name, role, _hasher.hash(password), by, unit=unit)


def set_password(db: store.Database, name: str, password: str, by: str | None) -> None:
    """Change or reset a password: ends every open session of the account and unlocks it."""
    check_password(password, name)
    if not _from_cli(by) and by != name:
        store.check_permission(db, by, "users")
    with store.transaction(db):
        store.update_user(
            db,
            name,
            by or SYSTEM_USER,
            "password",
            password_hash=_hasher.hash(password),
            failed_logins=0,
            locked_until=None,
        )
        store.clear_login_failures(db, name=name)


def set_disabled(db: store.Database, name: str, disabled: bool, by: str | None) -> None:
    if not _from_cli(by):
        store.check_permission(db, by, "users")
        if by == name and disabled:
            raise InvalidInput("不能停用自己的账号")
    store.update_user(db, name, by or SYSTEM_USER, "disabled", disabled=int(disabled))


def credential_version(db: store.Database, name: str) -> int | None:
    user = store.get_user(db, name)
    return None if user is None else user["credential_version"]


# --- signing in ----------------------------------------------------------------------------------


def login(
    db: store.Database, name: str, password: str, now: datetime | None = None, address: str | None = None
) -> dict:
    """The user row when name and password match; LoginFailed otherwise.

    `address` is the client's (the UI passes st.context's; the CLI has none). Unknown names, wrong
    passwords, throttled and locked attempts get the same messages whether the name exists or not.
    """
    now = now or datetime.now(UTC)
    key = (name or "").strip()[:64]
    here = address[:64] if isinstance(address, str) else ""
    refusal = _reserve_attempt(db, key, here, now)
    if refusal:
        raise LoginFailed(refusal)
    user = store.get_user(db, key)
    if user is None:
        _verify(_dummy(), password)  # spend the same time as a real check
        raise LoginFailed(BAD_LOGIN)
    if not _verify(user["password_hash"], password):
        raise LoginFailed(BAD_LOGIN)  # the attempt was counted when it was reserved
    store.forget_login_failure(db, key, here, ALL_ADDRESSES)
    if user["disabled"]:
        raise LoginFailed("该账号已停用")
    if _hasher.check_needs_rehash(user["password_hash"]):
        store.update_user(db, user["name"], user["name"], "", password_hash=_hasher.hash(password))
    return {"name": user["name"], "role": user["role"]}


def _reserve_attempt(db: store.Database, key: str, address: str, now: datetime) -> str | None:
    """Count this attempt before the password is checked, in one write transaction; the refusal
    message when the name is locked or must wait for this address, else None.

    A locked attempt is not counted (so hammering cannot extend a lock); a too-early one is.
    """
    stamp = utc_stamp(now)
    with store.transaction(db):
        store.clear_login_failures(db, before=utc_stamp(now - timedelta(minutes=LOCK_MINUTES)))
        rows = store.login_failures(db, key)
        here = rows.get(address, {"failures": 0, "last_at": stamp})
        overall = rows.get(ALL_ADDRESSES, {"failures": 0})
        if here["failures"] >= MAX_FAILURES or overall["failures"] >= NAME_CAP:
            return LOCKED
        store.count_login_failure(db, key, (address, ALL_ADDRESSES), stamp)
        if here["failures"] >= DELAY_AFTER:
            wait = 2 ** (here["failures"] - DELAY_AFTER + 1)
            left = (_moment(here["last_at"]) + timedelta(seconds=wait) - now).total_seconds()
            if left > 0:
                return f"尝试过于频繁，请 {math.ceil(left)} 秒后再试"
    return None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_hex(8))
    return _dummy_hash


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


# --- sessions that survive a reload --------------------------------------------------------------


def session_hours() -> float:
    """How long a sign-in survives reloads: $TRACKER_SESSION_HOURS, default 8 (0 turns it off)."""
    raw = os.environ.get("TRACKER_SESSION_HOURS", "").strip()
    try:
        return max(float(raw), 0.0) if raw else SESSION_HOURS
    except ValueError:
        return SESSION_HOURS


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(db: store.Database, name: str, now: datetime | None = None) -> tuple[str, datetime]:
    """A new random token for `name` (the cookie's value) and when it expires; only its hash is stored."""
    now = now or datetime.now(UTC)
    version = credential_version(db, name)
    if version is None:
        raise LoginFailed(BAD_LOGIN)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=session_hours())
    store.insert_session(db, token_hash(token), name, utc_stamp(now), utc_stamp(expires), version)
    return token, expires


def resume_session(db: store.Database, token: str, now: datetime | None = None) -> dict | None:
    """The user ({name, role, credential_version}) a cookie's token still signs in, or None: unknown,
    revoked, expired, idle too long, account gone or disabled, or credentials changed since."""
    if not isinstance(token, str) or not token or len(token) > 200:
        return None
    now = now or datetime.now(UTC)
    session = store.get_session(db, token_hash(token))
    if session is None or session["revoked_at"] or _moment(session["expires_at"]) <= now:
        return None
    if now - _moment(session["last_seen"]) > timedelta(minutes=IDLE_MINUTES):
        return None
    user = store.get_user(db, session["user"])
    if user is None or user["disabled"] or user["credential_version"] != session["credential_version"]:
        return None
    if now - _moment(session["last_seen"]) > timedelta(minutes=1):  # one write a minute at most
        store.touch_session(db, token_hash(token), utc_stamp(now))
    return {"name": user["name"], "role": user["role"], "credential_version": user["credential_version"]}


def close_session(db: store.Database, token: str) -> None:
    """退出登录: the token no longer signs anyone in, whatever the browser still holds."""
    if token:
        store.revoke_sessions(db, token_hash=token_hash(token))
