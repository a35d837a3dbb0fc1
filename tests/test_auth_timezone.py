"""One time zone for everything shown or printed (issue 14): Asia/Shanghai, or $TRACKER_TZ."""

import subprocess
import sys
from datetime import UTC, datetime

import pytest

from tracker import dates
from tracker.errors import InvalidInput

from .conftest import PASSWORD, ROOT

STORED = "2023-05-10T20:03:04.000005Z"  # 04:03 on the 11th in Beijing, 02:03 in Urumqi


def test_stored_utc_is_shown_in_beijing_time_by_default(monkeypatch):
    monkeypatch.delenv("TRACKER_TZ", raising=False)
    assert "2023-05-11 04:03:04" == dates.local_time(STORED)
    assert datetime(2023, 5, 11, 4, 3, 4, 5) == dates.to_local(STORED)
    assert "北京时间" == dates.zone_label()


def test_tracker_tz_changes_every_shown_time(monkeypatch):
    monkeypatch.setenv("TRACKER_TZ", "Asia/Urumqi")
    assert "2023-05-11 02:03:04" == dates.local_time(STORED)
    assert "Asia/Urumqi" == dates.zone_label()
    assert 6 * 3600 == dates.local_now().utcoffset().total_seconds()


def test_an_unknown_zone_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("TRACKER_TZ", "Mars/Olympus")
    with pytest.raises(InvalidInput, match="TRACKER_TZ=Mars/Olympus"):
        dates.local_time(STORED)


def test_stored_times_stay_utc(monkeypatch):
    monkeypatch.setenv("TRACKER_TZ", "Asia/Urumqi")
    assert "2023-05-10T20:03:04.000005Z" == dates.utc_stamp(datetime(2023, 5, 10, 20, 3, 4, 5, tzinfo=UTC))


def test_users_list_prints_local_time_labelled(db_file):
    # issue 14: `users list` printed UTC, unlabelled
    def run(*args, stdin="", tz=None):
        env = {"TRACKER_DB": str(db_file), "PATH": "/usr/bin:/bin", "USER": "ops"}
        if tz:
            env["TRACKER_TZ"] = tz
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
        )

    assert 0 == run("users", "add", "admin", "--role", "admin", stdin=PASSWORD + "\n").returncode
    from tracker import store

    created = store.get_user(store.connect(db_file), "admin")["created_at"]
    line = run("users", "list").stdout.strip()
    assert f"admin\tadmin\t正常\t{dates.local_time(created)}（北京时间）" == line
    moment = datetime.fromisoformat(created.replace("Z", "+00:00"))
    urumqi = moment.astimezone(dates._zone("Asia/Urumqi")).strftime("%Y-%m-%d %H:%M:%S")
    assert (
        f"admin\tadmin\t正常\t{urumqi}（Asia/Urumqi）"
        == run("users", "list", tz="Asia/Urumqi").stdout.strip()
    )
