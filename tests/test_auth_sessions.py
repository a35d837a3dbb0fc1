"""Sessions: a credential change signs open sessions out (issue 17 #5); a sign-in survives a reload
through a hashed token (issue 14), revoked by 退出登录, a password reset and disabling."""

import hashlib
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from tracker import auth, store
from tracker.ui import common

from .conftest import PASSWORD, ROOT

APP = str(ROOT / "app.py")
T0 = datetime(2023, 5, 1, 9, 0, tzinfo=UTC)


def signed_in(name: str) -> AppTest:
    """A browser tab in which `name` signed in through the login form."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(PASSWORD)
    next(b for b in at.button if b.label == "登录").click().run()
    assert not at.exception
    assert "总览" == at.title[0].value
    return at


def test_a_session_open_before_users_passwd_is_signed_out_and_cannot_write(seeded, users, db, db_file):
    # issue 17 #5: after a password reset the open session kept working, writes included
    at = signed_in(users["staff"])
    reset = subprocess.run(
        [sys.executable, "-m", "tracker", "users", "passwd", users["staff"]],
        input="tea-kettle-river-9\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert 0 == reset.returncode, reset.stderr
    events = db["events"].count
    at.switch_page(str(ROOT / "tracker/ui/tasks.py")).run()
    assert "落实 · 登录" == at.title[0].value
    assert "user" not in at.session_state
    assert "重新登录" in at.warning[0].value
    assert events == db["events"].count


@pytest.mark.parametrize(
    "change",
    [
        lambda db: auth.set_disabled(db, "xiaowang", True, by="admin"),
        lambda db: store.update_user(db, "xiaowang", "admin", "role", role="leader"),
    ],
)
def test_disabling_or_a_role_change_signs_the_session_out(seeded, users, db, change):
    at = signed_in(users["staff"])
    change(db)
    at.run()
    assert "落实 · 登录" == at.title[0].value


def test_a_reload_keeps_the_user_signed_in_until_they_sign_out(seeded, users, db, monkeypatch):
    at = signed_in(users["staff"])
    token = at.session_state["session_token"]
    row = store.get_session(db, hashlib.sha256(token.encode()).hexdigest())
    assert ("xiaowang", None) == (row["user"], row["revoked_at"])
    assert 0 == db.execute("SELECT COUNT(*) FROM sessions WHERE token_hash = ?", [token]).fetchone()[0]
    # a reload: a new connection, empty session state, the browser sends the cookie
    monkeypatch.setattr(common, "cookie_token", lambda: token)
    reloaded = AppTest.from_file(APP, default_timeout=60).run()
    assert not reloaded.exception
    assert "总览" == reloaded.title[0].value
    next(b for b in reloaded.button if b.label == "退出登录").click().run()
    assert "落实 · 登录" == reloaded.title[0].value
    assert store.get_session(db, auth.token_hash(token))["revoked_at"]
    again = AppTest.from_file(APP, default_timeout=60).run()  # the stale cookie signs in no one
    assert "落实 · 登录" == again.title[0].value


def test_a_password_reset_ends_the_persistent_session_too(seeded, users, db, monkeypatch):
    at = signed_in(users["staff"])
    token = at.session_state["session_token"]
    auth.set_password(db, "xiaowang", "tea-kettle-river-9", by="admin")
    monkeypatch.setattr(common, "cookie_token", lambda: token)
    assert "落实 · 登录" == AppTest.from_file(APP, default_timeout=60).run().title[0].value


def test_resume_session_refuses_every_stale_token(db, users):
    token, expires = auth.open_session(db, "xiaowang", now=T0)
    assert T0 + timedelta(hours=auth.SESSION_HOURS) == expires
    assert {"name": "xiaowang", "role": "staff", "credential_version": 0} == auth.resume_session(
        db, token, now=T0 + timedelta(minutes=20)
    )
    for minutes in range(40, 8 * 60, 20):  # used every 20 minutes: alive until the hours are up
        assert auth.resume_session(db, token, now=T0 + timedelta(minutes=minutes)) is not None
    assert auth.resume_session(db, token, now=T0 + timedelta(hours=8)) is None  # expired
    idle, _ = auth.open_session(db, "xiaowang", now=T0)
    assert auth.resume_session(db, idle, now=T0 + timedelta(minutes=auth.IDLE_MINUTES + 1)) is None
    assert auth.resume_session(db, "not-a-token", now=T0) is None
    assert auth.resume_session(db, "x" * 5000, now=T0) is None
    disabled, _ = auth.open_session(db, "xiaowang")  # now: revoking also deletes expired rows
    auth.set_disabled(db, "xiaowang", True, by="admin")
    assert auth.resume_session(db, disabled) is None
    assert store.get_session(db, auth.token_hash(disabled))["revoked_at"] is not None


def test_session_hours_are_configurable(monkeypatch, db, users):
    monkeypatch.setenv("TRACKER_SESSION_HOURS", "2")
    token, expires = auth.open_session(db, "xiaowang", now=T0)
    assert T0 + timedelta(hours=2) == expires
    assert auth.resume_session(db, token, now=T0 + timedelta(hours=2, seconds=1)) is None
    monkeypatch.setenv("TRACKER_SESSION_HOURS", "soon")
    assert auth.SESSION_HOURS == auth.session_hours()


def test_the_sign_in_cookie_asks_for_samesite_strict_and_secure_under_https(monkeypatch):
    monkeypatch.setenv("TRACKER_COOKIE_SECURE", "1")
    assert common.cookie_secure() is True
    monkeypatch.setenv("TRACKER_COOKIE_SECURE", "0")
    assert common.cookie_secure() is False


def test_the_cookie_line_sets_and_deletes_the_token_with_its_flags(monkeypatch):
    monkeypatch.setenv("TRACKER_COOKIE_SECURE", "1")
    expires = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert (
        f"{common.COOKIE}=tok-EN_1; expires=Wed, 02 Jan 2030 03:04:05 GMT; path=/; SameSite=Strict; Secure"
        == common.cookie_header("set", "tok-EN_1", expires)
    )
    monkeypatch.setenv("TRACKER_COOKIE_SECURE", "0")
    assert (
        f"{common.COOKIE}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=0; path=/; SameSite=Strict"
        == common.cookie_header("delete", "", None)
    )
