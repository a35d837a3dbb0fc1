"""Issue 17's attacks on accounts, each performed: raced lockout (#3), lockout and enumeration by
anyone (#4), weak passwords (#6), wrong author of CLI account changes (#14)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from tracker import auth, store
from tracker.errors import InvalidInput

from .conftest import PASSWORD

T0 = datetime(2023, 5, 1, 9, 0, tzinfo=UTC)


def attempt(db, name, password, now=T0, address=None) -> str:
    """The message a login gives ('' when it succeeds)."""
    try:
        auth.login(db, name, password, now=now, address=address)
    except auth.LoginFailed as e:
        return str(e)
    return ""


def test_racing_threads_cannot_outrun_the_lockout(db_file, users, monkeypatch):
    # issue 17 #3: 20 threads x 3 wrong passwords checked 60 guesses and never locked
    checks = []
    real_verify = auth._verify
    monkeypatch.setattr(auth, "_verify", lambda h, p: checks.append(1) or real_verify(h, p))
    start = threading.Barrier(20)
    errors = []

    def guess():
        db = store.connect(db_file)  # a connection per thread, as the app has
        start.wait()
        for _ in range(3):
            try:
                auth.login(db, "xiaowang", "wrong-password")
            except auth.LoginFailed:
                pass
            except Exception as e:  # noqa: BLE001 - any other error fails the test below
                errors.append(e)

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [] == errors
    assert len(checks) <= auth.MAX_FAILURES
    db = store.connect(db_file)
    assert auth.MAX_FAILURES == store.login_failures(db, "xiaowang")[""]["failures"]
    assert auth.LOCKED == attempt(db, "xiaowang", PASSWORD, now=datetime.now(UTC))


def test_failures_from_one_address_grow_a_delay_then_lock_that_address_only(db, users):
    # issue 17 #4: anyone could lock a real user out; now the attacker's address is locked, not the name
    attacker, office = "203.0.113.9", "10.0.0.7"
    for i in range(auth.DELAY_AFTER):
        assert auth.BAD_LOGIN == attempt(
            db, "xiaowang", "wrong-password", T0 + timedelta(seconds=i), attacker
        )
    assert "尝试过于频繁，请 2 秒后再试" == attempt(
        db, "xiaowang", PASSWORD, T0 + timedelta(seconds=2), attacker
    )
    assert "尝试过于频繁，请 4 秒后再试" == attempt(
        db, "xiaowang", "wrong-password", T0 + timedelta(seconds=2), attacker
    )
    assert auth.LOCKED == attempt(db, "xiaowang", PASSWORD, T0 + timedelta(seconds=60), attacker)
    # the real user at the office signs in meanwhile
    assert "" == attempt(db, "xiaowang", PASSWORD, T0 + timedelta(seconds=61), office)
    # and the attacker's lock ends after LOCK_MINUTES
    later = T0 + timedelta(minutes=auth.LOCK_MINUTES, seconds=61)
    assert "" == attempt(db, "xiaowang", PASSWORD, later, attacker)


def test_many_addresses_together_lock_the_name_at_a_high_cap(db, users, monkeypatch):
    monkeypatch.setattr(auth, "NAME_CAP", 6)
    for i in range(6):
        attempt(db, "xiaowang", "wrong-password", T0, f"198.51.100.{i}")
    assert auth.LOCKED == attempt(db, "xiaowang", PASSWORD, T0, "10.0.0.7")


def test_unknown_names_say_exactly_what_real_names_say(db, users):
    # issue 17 #4: an unknown name never said "locked", which told an attacker it did not exist
    def messages(name):
        return [
            attempt(db, name, "wrong-password", T0 + timedelta(seconds=s), "203.0.113.9")
            for s in (0, 0, 0, 0, 0, 60, 61)
        ]

    real, unknown = messages("xiaowang"), messages("nobody-here")
    assert real == unknown
    assert [auth.BAD_LOGIN] * 3 == real[:3]
    assert auth.LOCKED == real[-1]


def test_a_success_clears_the_address_and_gives_back_the_overall_attempt(db, users):
    attempt(db, "xiaowang", "wrong-password", T0, "10.0.0.7")
    assert "" == attempt(db, "xiaowang", PASSWORD, T0, "10.0.0.7")
    assert {"*": {"failures": 1, "last_at": "2023-05-01T09:00:00.000000Z"}} == store.login_failures(
        db, "xiaowang"
    )


def test_a_password_reset_unlocks(db, users):
    for _ in range(auth.MAX_FAILURES):
        attempt(db, "xiaowang", "wrong-password", datetime.now(UTC))
    assert auth.LOCKED == attempt(db, "xiaowang", PASSWORD, datetime.now(UTC))
    auth.set_password(db, "xiaowang", "another-password", by="admin")
    assert "" == attempt(db, "xiaowang", "another-password", datetime.now(UTC))


@pytest.mark.parametrize(
    "password, why",
    [
        (" " * 8, "空"),  # issue 17 #6: eight spaces were accepted
        ("\t \u3000 \t   ", "空"),
        ("12345678", "常见"),
        ("password", "常见"),
        ("qwertyuiop", "常见"),
        ("iloveyou1", "常见"),
        ("xiaowang", "用户名"),
        ("XiaoWang2023!", "用户名"),
        ("short", "至少"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(db, users, password, why):
    with pytest.raises(InvalidInput, match=why):
        auth.add_user(db, "xiaowang2", "staff", password.replace("xiaowang", "xiaowang2"), by="admin")
    with pytest.raises(InvalidInput, match=why):
        auth.set_password(db, "xiaowang", password, by="admin")


def test_a_strong_password_is_accepted(db, users):
    auth.set_password(db, "xiaowang", "tea-kettle-river-9", by="admin")
    assert "" == attempt(db, "xiaowang", "tea-kettle-river-9", datetime.now(UTC))


@pytest.mark.parametrize("name", ["system", "System", "cli", "root"])
def test_names_the_app_uses_for_itself_are_reserved(db, users, name):
    # issue 17 #14: an account named `system` collided with the CLI's own name
    with pytest.raises(InvalidInput, match="保留"):
        auth.add_user(db, name, "staff", PASSWORD, by="admin")


def test_cli_account_changes_are_recorded_as_the_operating_system_user(db_file, monkeypatch):
    # issue 17 #14: `users add` from the CLI recorded "staff1 created staff1"
    import subprocess
    import sys

    env = {"TRACKER_DB": str(db_file), "USER": "opsadmin", "LOGNAME": "opsadmin", "PATH": "/usr/bin:/bin"}

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args], input=stdin, capture_output=True, text=True, env=env
        )

    assert 0 == run("users", "add", "admin", "--role", "admin", stdin=PASSWORD + "\n").returncode
    assert 0 == run("users", "add", "staff1", "--role", "staff", stdin=PASSWORD + "\n").returncode
    assert 0 == run("users", "disable", "staff1").returncode
    db = store.connect(db_file)
    events = store.events_for(db, target_id="staff1")
    assert ["cli:opsadmin", "cli:opsadmin"] == [e["user"] for e in events]
    assert "cli:opsadmin" == store.get_user(db, "staff1")["created_by"]
    assert 2 == run("users", "add", "system", "--role", "staff", stdin=PASSWORD + "\n").returncode


def test_the_client_address_comes_from_the_proxy_only_when_trusted(monkeypatch):
    from types import SimpleNamespace

    from tracker.ui import common

    context = SimpleNamespace(headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"}, ip_address="10.0.0.1")
    monkeypatch.setattr(common.st, "context", context)
    monkeypatch.delenv("TRACKER_TRUST_PROXY", raising=False)
    assert "10.0.0.1" == common.client_address()
    monkeypatch.setenv("TRACKER_TRUST_PROXY", "1")
    assert "203.0.113.9" == common.client_address()
