"""Accounts' rows and the permission check every write makes (password hashing lives in `auth`)."""

from __future__ import annotations

from tracker.errors import NotFound, PermissionDenied
from tracker.model import ROLE_LABELS
from tracker.store.actions import PERMISSIONS
from tracker.store.events import append, find_row
from tracker.store.schema import Database, now, transaction


def get_user(db: Database, name: str) -> dict | None:
    return find_row(db, "users", name, "name")


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
    from tracker.store.units import check_user_unit

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


# changes after which every open session of the account must sign in again (issue 17 #5)
CREDENTIAL_FIELDS = frozenset({"password", "disabled", "role"})


def update_user(db: Database, name: str, by: str, field: str, **values) -> None:
    """Change a user row (password, disabled, lock counters) and log who did it.

    A credential change (`CREDENTIAL_FIELDS`) also bumps `credential_version` and revokes the
    account's persistent sessions, in the same transaction.
    """
    with transaction(db):
        if get_user(db, name) is None:
            raise NotFound(f"没有用户 {name}")
        db["users"].update(name, values)
        if field in CREDENTIAL_FIELDS:
            db.execute("UPDATE users SET credential_version = credential_version + 1 WHERE name = ?", [name])
            revoke_sessions(db, user=name)
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


# --- login throttling (the policy lives in auth; these only count, atomically) ---------------------


def login_failures(db: Database, name: str) -> dict[str, dict]:
    """address -> {failures, last_at} for a name (any name, with or without an account)."""
    rows = db.execute("SELECT address, failures, last_at FROM login_failures WHERE name = ?", [name])
    return {a: {"failures": f, "last_at": t} for a, f, t in rows.fetchall()}


def count_login_failure(db: Database, name: str, addresses: tuple[str, ...], at: str) -> None:
    """One more failed (or reserved) attempt for each (name, address) row, in one statement each."""
    for address in addresses:
        db.execute(
            "INSERT INTO login_failures (name, address, failures, last_at) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (name, address) DO UPDATE SET failures = failures + 1, last_at = excluded.last_at",
            [name, address, at],
        )


def forget_login_failure(db: Database, name: str, address: str, overall: str) -> None:
    """A sign-in succeeded: clear this address's count, give back the attempt it reserved overall."""
    with transaction(db):
        db.execute("DELETE FROM login_failures WHERE name = ? AND address = ?", [name, address])
        db.execute(
            "UPDATE login_failures SET failures = MAX(failures - 1, 0) WHERE name = ? AND address = ?",
            [name, overall],
        )


def clear_login_failures(db: Database, name: str | None = None, before: str | None = None) -> None:
    """Drop a name's counts (a password reset unlocks), or every count last touched before `before`."""
    if name is not None:
        db.execute("DELETE FROM login_failures WHERE name = ?", [name])
    if before is not None:
        db.execute("DELETE FROM login_failures WHERE last_at < ?", [before])


# --- persistent sessions (issue 14) --------------------------------------------------------------


def insert_session(
    db: Database, token_hash: str, user: str, created: str, expires: str, version: int
) -> None:
    with transaction(db):
        db["sessions"].insert(
            {
                "token_hash": token_hash,
                "user": user,
                "created_at": created,
                "expires_at": expires,
                "last_seen": created,
                "credential_version": version,
                "revoked_at": None,
            }
        )


def get_session(db: Database, token_hash: str) -> dict | None:
    return find_row(db, "sessions", token_hash, "token_hash")


def touch_session(db: Database, token_hash: str, at: str) -> None:
    db.execute("UPDATE sessions SET last_seen = ? WHERE token_hash = ?", [at, token_hash])


def revoke_sessions(db: Database, *, user: str | None = None, token_hash: str | None = None) -> None:
    """Mark a user's open sessions (or one session) revoked; expired ones are deleted."""
    at = now()
    if user is not None:
        db.execute("UPDATE sessions SET revoked_at = ? WHERE user = ? AND revoked_at IS NULL", [at, user])
    if token_hash is not None:
        db.execute(
            "UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL", [at, token_hash]
        )
    db.execute("DELETE FROM sessions WHERE expires_at < ?", [at])
