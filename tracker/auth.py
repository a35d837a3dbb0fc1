"""Accounts: argon2 password hashes, roles, login throttling. Rows are written through `store`."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from tracker import store
from tracker.errors import InvalidInput, PermissionDenied
from tracker.model import ROLES, Role

MIN_PASSWORD = 8
MAX_FAILURES = 5  # failed logins in a row before the account locks
LOCK_MINUTES = 15
IDLE_MINUTES = 30  # a session with no interaction for this long must log in again
NAME_RE = re.compile(r"^[\w.\-@\u4e00-\u9fff]{1,40}$")

_hasher = PasswordHasher()


class LoginFailed(PermissionDenied):
    """Wrong name or password, a disabled or a locked account."""


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise InvalidInput("用户名须为 1–40 个字母、数字、汉字或 . - _ @")
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise InvalidInput(f"密码至少 {MIN_PASSWORD} 位")
    if len(password) > 256:
        raise InvalidInput("密码过长")
    return password


def add_user(
    db: store.Database, name: str, role: str, password: str, by: str | None, unit: str | None = None
) -> None:
    """Create an account. `by` must be an admin, except for the very first account (setup). `unit`
    (督办): a staff account of that unit, which sees and changes only the unit's commitments."""
    name = check_name(name)
    if role not in ROLES:
        raise InvalidInput(f"角色必须是 {'/'.join(ROLES)} 之一")
    check_password(password)
    if store.count_users(db) == 0:
        if role != Role.ADMIN:
            raise InvalidInput("第一个账号必须是管理员")
    elif by is None or by == store.SYSTEM_USER:
        pass  # the command line, run by whoever owns the server
    else:
        store.check_permission(db, by, "users")
    if store.get_user(db, name):
        raise InvalidInput(f"用户 {name} 已存在")
    if unit and role != Role.STAFF:
        raise InvalidInput("只有工作人员账号可以属于某个单位")
    store.insert_user(db, name, role, _hasher.hash(password), by, unit=unit)


def set_password(db: store.Database, name: str, password: str, by: str | None) -> None:
    check_password(password)
    if by not in (None, store.SYSTEM_USER, name):
        store.check_permission(db, by, "users")
    store.update_user(
        db,
        name,
        by or store.SYSTEM_USER,
        "password",
        password_hash=_hasher.hash(password),
        failed_logins=0,
        locked_until=None,
    )


def set_disabled(db: store.Database, name: str, disabled: bool, by: str | None) -> None:
    if by not in (None, store.SYSTEM_USER):
        store.check_permission(db, by, "users")
        if by == name and disabled:
            raise InvalidInput("不能停用自己的账号")
    store.update_user(db, name, by or store.SYSTEM_USER, "disabled", disabled=int(disabled))


def login(db: store.Database, name: str, password: str, now: datetime | None = None) -> dict:
    """The user row when name and password match; LoginFailed otherwise (same message for both)."""
    now = now or datetime.now(UTC)
    user = store.get_user(db, (name or "").strip())
    if user is None:
        _hasher.hash("x" * MIN_PASSWORD)  # spend the same time as a real check
        raise LoginFailed("用户名或密码错误")
    if user["locked_until"] and datetime.fromisoformat(user["locked_until"]) > now:
        raise LoginFailed(f"登录失败次数过多，账号已锁定 {LOCK_MINUTES} 分钟，请稍后再试")
    try:
        _hasher.verify(user["password_hash"], password or "")
    except (VerificationError, InvalidHashError):
        failures = user["failed_logins"] + 1
        locked = (now + timedelta(minutes=LOCK_MINUTES)).isoformat() if failures >= MAX_FAILURES else None
        store.update_user(
            db, user["name"], user["name"], "", failed_logins=0 if locked else failures, locked_until=locked
        )
        raise LoginFailed("用户名或密码错误") from None
    if user["disabled"]:
        raise LoginFailed("该账号已停用")
    changes = {"failed_logins": 0, "locked_until": None}
    if _hasher.check_needs_rehash(user["password_hash"]):
        changes["password_hash"] = _hasher.hash(password)
    if user["failed_logins"] or user["locked_until"] or "password_hash" in changes:
        store.update_user(db, user["name"], user["name"], "", **changes)
    return {"name": user["name"], "role": user["role"]}
