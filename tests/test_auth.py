"""Accounts: argon2 hashes, the first admin, roles, throttling, minimum length."""

from datetime import UTC, datetime, timedelta

import pytest

from tracker import auth, store
from tracker.errors import InvalidInput, PermissionDenied

from .conftest import PASSWORD


def test_first_account_must_be_an_admin(db):
    with pytest.raises(InvalidInput):
        auth.add_user(db, "xiaowang", "staff", PASSWORD, by=None)
    auth.add_user(db, "admin", "admin", PASSWORD, by=None)
    row = store.get_user(db, "admin")
    assert row["password_hash"].startswith("$argon2")
    assert PASSWORD not in row["password_hash"]


def test_only_admins_add_users(db, users):
    with pytest.raises(PermissionDenied):
        auth.add_user(db, "new", "staff", PASSWORD, by=users["staff"])
    with pytest.raises(PermissionDenied):
        auth.add_user(db, "new", "admin", PASSWORD, by=users["leader"])
    auth.add_user(db, "new", "leader", PASSWORD, by=users["admin"])
    assert store.get_user(db, "new")["role"] == "leader"
    assert store.events_for(db, target_id="new")[0]["user"] == "admin"


@pytest.mark.parametrize("name", ["", "a b", "<script>", "x" * 41, "../etc"])
def test_odd_names_are_refused(db, name):
    with pytest.raises(InvalidInput):
        auth.add_user(db, name, "admin", PASSWORD, by=None)


def test_minimum_password_length(db):
    with pytest.raises(InvalidInput):
        auth.add_user(db, "admin", "admin", "short", by=None)


def test_login_checks_the_password(db, users):
    assert auth.login(db, "xiaowang", PASSWORD) == {"name": "xiaowang", "role": "staff"}
    with pytest.raises(auth.LoginFailed, match="用户名或密码错误"):
        auth.login(db, "xiaowang", "wrong-password")
    with pytest.raises(auth.LoginFailed, match="用户名或密码错误"):
        auth.login(db, "nobody", PASSWORD)


def test_repeated_failures_lock_the_account_for_a_while(db, users):
    t0 = datetime(2023, 5, 1, 9, 0, tzinfo=UTC)
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.LoginFailed):
            auth.login(db, "xiaowang", "wrong-password", now=t0)
    with pytest.raises(auth.LoginFailed, match="锁定"):
        auth.login(db, "xiaowang", PASSWORD, now=t0 + timedelta(minutes=1))
    later = t0 + timedelta(minutes=auth.LOCK_MINUTES + 1)
    assert auth.login(db, "xiaowang", PASSWORD, now=later)["role"] == "staff"


def test_disabled_accounts_cannot_log_in_or_write(db, users):
    auth.set_disabled(db, "xiaowang", True, by=users["admin"])
    with pytest.raises(auth.LoginFailed):
        auth.login(db, "xiaowang", PASSWORD)
    with pytest.raises(InvalidInput):
        auth.set_disabled(db, "admin", True, by="admin")
    auth.set_disabled(db, "xiaowang", False, by=None)
    auth.login(db, "xiaowang", PASSWORD)


def test_password_change(db, users):
    auth.set_password(db, "xiaowang", "another-password", by="xiaowang")
    auth.login(db, "xiaowang", "another-password")
    with pytest.raises(PermissionDenied):
        auth.set_password(db, "admin", "another-password", by="xiaowang")
    events = store.events_for(db, target_id="xiaowang")
    assert events[0]["after"] == '{"password_hash": "***", "failed_logins": 0, "locked_until": null}'
