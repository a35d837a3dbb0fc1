"""Accounts' rows and the permission check every write makes (password hashing lives in `auth`)."""

from __future__ import annotations

from tracker.errors import NotFound, PermissionDenied
from tracker.model import ROLE_LABELS
from tracker.store.actions import PERMISSIONS
from tracker.store.events import append
from tracker.store.schema import Database, now, transaction


def get_user(db: Database, name: str) -> dict | None:
    rows = list(db["users"].rows_where("name = ?", [name]))
    return rows[0] if rows else None


def list_users(db: Database) -> list[dict]:
    return list(
        db.query("SELECT name, role, disabled, created_at, created_by, unit FROM users ORDER BY name")
    )


def count_users(db: Database) -> int:
    return db["users"].count


def insert_user(
    db: Database, name: str, role: str, password_hash: str, by: str | None, unit: str | None = None
) -> None:
    """A new account; `unit` (督办) makes it a unit's account, which sees only that unit's commitments."""
    from tracker.store.supervision import check_user_unit

    with transaction(db):
        unit = check_user_unit(db, unit)
        db["users"].insert(
            {
                "name": name,
                "role": role,
                "password_hash": password_hash,
                "created_at": now(),
                "created_by": by,
                "unit": unit,
            }
        )
        append(db, by or name, None, "user", name, "users", field="role", after=role)
        if unit:
            append(db, by or name, None, "user", name, "users", field="unit", after=unit)


def update_user(db: Database, name: str, by: str, field: str, **values) -> None:
    """Change a user row (password, disabled, lock counters) and log who did it."""
    with transaction(db):
        if get_user(db, name) is None:
            raise NotFound(f"没有用户 {name}")
        db["users"].update(name, values)
        if field:  # lock counters are bookkeeping, not changes worth an event
            shown = {k: ("***" if k == "password_hash" else v) for k, v in values.items()}
            append(db, by, None, "user", name, "users", field=field, after=shown)


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def check_permission(db: Database, username: str, action: str) -> dict:
    """The user row when `username` may do `action`; PermissionDenied otherwise."""
    user = get_user(db, username) if username else None
    if user is None:
        raise PermissionDenied(f"用户 {username or '(未登录)'} 不存在，不能修改数据")
    if user["disabled"]:
        raise PermissionDenied(f"用户 {username} 已停用")
    if action not in PERMISSIONS.get(user["role"], ()):
        raise PermissionDenied(f"用户 {username}（{role_label(user['role'])}）无权执行此操作")
    return user


def may(role: str, action: str) -> bool:
    """Whether a role may do an action (pages use it to offer only what a user may do)."""
    return action in PERMISSIONS.get(role, frozenset())
