"""Every write command prints the record it made as `记录 #N` (issue 17), and `verify` records an
admin's 核实 as the page does."""

import io
import re

import pytest

from tracker import cli, store

from .conftest import PASSWORD, SAMPLE, make_report


def newest(db_file) -> dict:
    db = store.connect(db_file)
    return store.get_row(db, "events", db.execute("SELECT max(id) FROM events").fetchone()[0])


def said(capsys) -> int:
    """The N of the one `记录 #N` the command printed."""
    [number] = re.findall(r"记录 #(\d+)", capsys.readouterr().out)
    return int(number)


@pytest.fixture
def ids(db, users):
    rid = store.import_report(db, make_report(), store.SYSTEM_USER, "r.txt")["report_id"]
    return store.report_items(db, rid)[0]["id"], store.report_metrics(db, rid, "plan")[0]["id"]


def test_verify_records_an_admins_check_and_says_which_record(db_file, users, ids, capsys):
    goal = ids[1]
    argv = ["verify", goal, "4", "--user", users["admin"], "--date", "2023-05-02", "--note", "抽查台账"]
    assert 0 == cli.main(argv)
    event = newest(db_file)
    assert event["id"] == said(capsys)
    assert ("verify", users["admin"], 4.0, "2023-05-02", "抽查台账") == (
        event["action"],
        event["user"],
        event["amount"],
        event["date"],
        event["note"],
    )
    metric = store.get_row(store.connect(db_file), "metrics", goal)
    assert (4.0, 0.0) == (metric["verified"], metric["progress"])


def test_verify_is_for_admins_only(db_file, users, ids, capsys):
    before = newest(db_file)["id"]
    assert 2 == cli.main(["verify", ids[1], "4", "--user", users["staff"]])
    assert "无权" in capsys.readouterr().err
    assert before == newest(db_file)["id"]


def test_each_write_command_prints_the_record_it_made(db_file, users, ids, capsys, monkeypatch):
    item, goal = ids
    staff = users["staff"]
    commands = [
        ["tick", item, "--user", staff],
        ["status", item, "受阻", "--user", staff, "--note", "场地未落实"],
        ["progress", goal, "2", "--user", staff, "--date", "2023-03-01"],
        ["verify", goal, "1", "--user", users["admin"], "--date", "2023-03-02"],
        ["undo", "0", "--user", staff],  # the id is filled in below: the progress entry
        ["users", "add", "xiaoli", "--role", "staff"],
        ["users", "disable", "xiaoli"],
        ["users", "enable", "xiaoli"],
        ["users", "passwd", "xiaoli"],
        ["import", str(SAMPLE), "--user", users["admin"]],
    ]
    made = {}
    for argv in commands:
        if argv[0] == "undo":
            argv[1] = str(made["progress"])
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "-new\n"))
        assert 0 == cli.main(argv), argv
        number = said(capsys)
        assert newest(db_file)["id"] == number, argv
        made[argv[0] if argv[0] != "users" else argv[1]] = number
    db = store.connect(db_file)
    actions = {name: store.get_row(db, "events", n)["action"] for name, n in made.items()}
    assert {
        "tick": "status",
        "status": "status",
        "progress": "progress",
        "verify": "verify",
        "undo": "progress",
        "add": "users",
        "disable": "users",
        "enable": "users",
        "passwd": "users",
        "import": "import",
    } == actions
    assert made["progress"] == store.get_row(db, "events", made["undo"])["undoes"]
