"""`users add|list|disable|enable|passwd`: accounts from the command line (the server's owner).

Changes are recorded as `cli:<operating-system user>` (auth.cli_actor), never as the account itself.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from tracker.errors import InvalidInput
from tracker.model import ROLES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="管理账号（添加、列出、停用、改密码）")
    users = p.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    a = users.add_parser("add", help="添加账号；密码从提示输入，或在非终端时从标准输入读取")
    a.add_argument("name", metavar="NAME", help="用户名")
    a.add_argument(
        "--role", required=True, choices=ROLES, help="角色：admin 管理员 / staff 工作人员 / leader 领导"
    )
    a.add_argument("--unit", help="所属单位（督办）：该账号只能查看和修改本单位牵头或配合的任务")
    a.set_defaults(run=run_add)
    lst = users.add_parser("list", help="列出账号")
    lst.set_defaults(run=run_list)
    d = users.add_parser("disable", help="停用账号")
    d.add_argument("name", metavar="NAME", help="用户名")
    d.set_defaults(run=lambda args: run_disable(args, True))
    e = users.add_parser("enable", help="重新启用账号")
    e.add_argument("name", metavar="NAME", help="用户名")
    e.set_defaults(run=lambda args: run_disable(args, False))
    pw = users.add_parser("passwd", help="修改密码")
    pw.add_argument("name", metavar="NAME", help="用户名")
    pw.set_defaults(run=run_passwd)


def read_password() -> str:
    """From a prompt (asked twice) on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if getpass.getpass("再次输入：") != first:
            raise InvalidInput("两次输入的密码不一致")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def recorded(db, name: str) -> str:
    """'（记录 #N）' for the account event just written about `name` (the newest on it)."""
    from tracker import store

    latest = store.events_for(db, target_id=name.strip(), limit=1)
    return f"（记录 #{latest[0]['id']}）" if latest else ""


def run_add(args) -> int:
    from tracker import auth, store

    db = store.connect()
    auth.add_user(db, args.name, args.role, read_password(), by=auth.cli_actor(), unit=args.unit)
    unit = f"，{args.unit.strip()}" if args.unit else ""
    print(f"已添加 {args.name.strip()}（{store.role_label(args.role)}{unit}）{recorded(db, args.name)}")
    return 0


def run_list(args) -> int:
    from tracker import store
    from tracker.dates import local_time, zone_label

    for u in store.list_users(store.connect()):
        state = "已停用" if u["disabled"] else "正常"
        created = f"{local_time(u['created_at'])}（{zone_label()}）"
        print(f"{u['name']}\t{u['role']}\t{state}\t{created}\t{u.get('unit') or ''}".rstrip())
    return 0


def run_disable(args, disabled: bool) -> int:
    from tracker import auth, store

    db = store.connect()
    auth.set_disabled(db, args.name, disabled, by=auth.cli_actor())
    print(f"已{'停用' if disabled else '启用'} {args.name}{recorded(db, args.name)}")
    return 0


def run_passwd(args) -> int:
    from tracker import auth, store

    db = store.connect()
    auth.set_password(db, args.name, read_password(), by=auth.cli_actor())
    print(f"已修改 {args.name} 的密码{recorded(db, args.name)}")
    return 0
