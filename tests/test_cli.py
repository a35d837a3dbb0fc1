"""The command line acts as a named user and obeys the same rules; every command has help text."""

import argparse
import json
import os
import subprocess
import sys

import pytest

from tracker import cli, store
from tracker.model import Status

from .conftest import PASSWORD, ROOT, SAMPLE


def run(*args, stdin: str | None = None, env_db=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_DB": str(env_db)} if env_db else None
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def subcommands(parser, prefix=()):
    """(name path, help shown in the parent's list, sub-parser) for every command, recursively."""
    for group in parser._subparsers._group_actions if parser._subparsers else []:
        helps = {c.dest: c.help for c in group._choices_actions}
        for name, sub in group.choices.items():
            yield (*prefix, name), helps.get(name), sub
            yield from subcommands(sub, (*prefix, name))


def test_every_command_and_argument_has_help_text():
    commands = list(subcommands(cli.build_parser()))
    names = {c for c, _, _ in commands}
    assert {("import",), ("items",), ("tick",), ("progress",), ("users", "add"), ("extract",)} <= names
    for name, help_text, sub in commands:
        assert help_text, f"{' '.join(name)} has no help text"
        for action in sub._actions:
            if action.dest != "help" and not isinstance(action, argparse._SubParsersAction):
                assert action.help, f"{' '.join(name)} {action.dest} has no help text"


def test_import_items_tick_progress_as_named_users(db_file):
    out = run("import", str(SAMPLE), env_db=db_file)
    assert 0 == out.returncode, out.stderr
    assert "已导入" in out.stdout and "4e9d620d1cf56edd" not in out.stderr
    for name, role in (("admin", "admin"), ("xiaowang", "staff"), ("mishuzhang", "leader")):
        added = run("users", "add", name, "--role", role, stdin=PASSWORD + "\n", env_db=db_file)
        assert 0 == added.returncode, added.stderr
    items = json.loads(run("items", "--json", env_db=db_file).stdout)
    assert 12 == len(items)
    goal_item = next(i for i in items if i["goals"])
    goal = goal_item["goals"][0]

    refused = run("tick", items[0]["id"], "--user", "mishuzhang", env_db=db_file)
    assert 2 == refused.returncode and "无权" in refused.stderr
    refused = run("progress", goal["id"], "2", "--user", "mishuzhang", env_db=db_file)
    assert 2 == refused.returncode
    bad = run("progress", goal["id"], "两", "--user", "xiaowang", env_db=db_file)
    assert 2 == bad.returncode and "不是数字" in bad.stderr

    assert (
        0
        == run(
            "tick", items[0]["id"], "--user", "xiaowang", "--note", "已完成学习", env_db=db_file
        ).returncode
    )
    assert (
        0
        == run(
            "progress", goal["id"], "2", "--user", "xiaowang", "--date", "2023-03-01", env_db=db_file
        ).returncode
    )
    after = {i["id"]: i for i in json.loads(run("items", "--json", env_db=db_file).stdout)}
    assert Status.DONE == after[items[0]["id"]]["status"]
    assert 2 == after[goal_item["id"]]["goals"][0]["progress"]
    db = store.connect(db_file)
    events = store.events_for(db, target_id=items[0]["id"])
    assert [("xiaowang", "已完成学习")] == [(e["user"], e["note"]) for e in events]


def test_users_list_disable_and_passwd(db_file):
    run("users", "add", "admin", "--role", "admin", stdin=PASSWORD + "\n", env_db=db_file)
    assert 2 == run("users", "add", "short", "--role", "staff", stdin="123\n", env_db=db_file).returncode
    run("users", "add", "xiaowang", "--role", "staff", stdin=PASSWORD + "\n", env_db=db_file)
    assert 0 == run("users", "disable", "xiaowang", env_db=db_file).returncode
    listing = run("users", "list", env_db=db_file).stdout
    assert "xiaowang\tstaff\t已停用" in listing
    assert 0 == run("users", "passwd", "xiaowang", stdin="new-password-1\n", env_db=db_file).returncode


@pytest.mark.parametrize("args", [("tick", "nope", "--user", "admin"), ("items", "--report", "nope")])
def test_unknown_ids_exit_non_zero_with_a_message(db_file, args):
    out = run(*args, env_db=db_file)
    assert 2 == out.returncode
    assert out.stderr.startswith("错误：")
