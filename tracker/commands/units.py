"""`units add|list|disable|enable|email`: the units (单位) of 督办 from the command line."""

from __future__ import annotations

import argparse

from tracker.model import SYSTEM_USER


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("units", help="管理单位（牵头单位、配合单位）")
    units = p.add_subparsers(dest="units_command", required=True, metavar="ACTION")
    a = units.add_parser("add", help="添加单位")
    a.add_argument("name", metavar="NAME", help="单位名称")
    a.add_argument("--email", help="接收督办提醒的电子邮箱")
    a.add_argument("--user", default=SYSTEM_USER, help="操作的管理员（默认：命令行 system）")
    a.set_defaults(run=run_add)
    lst = units.add_parser("list", help="列出单位")
    lst.add_argument("--json", action="store_true", help="输出 JSON")
    lst.set_defaults(run=run_list)
    for op, text in (("disable", "停用单位（不再督办）"), ("enable", "重新启用单位")):
        d = units.add_parser(op, help=text)
        d.add_argument("name", metavar="NAME", help="单位名称")
        d.add_argument("--user", default=SYSTEM_USER, help="操作的管理员（默认：命令行 system）")
        d.set_defaults(run=run_op, op=op)
    e = units.add_parser("email", help="修改单位的电子邮箱（留空则清除）")
    e.add_argument("name", metavar="NAME", help="单位名称")
    e.add_argument("email", metavar="ADDR", nargs="?", default="", help="电子邮箱")
    e.add_argument("--user", default=SYSTEM_USER, help="操作的管理员（默认：命令行 system）")
    e.set_defaults(run=run_op, op="email")


def run_add(args) -> int:
    from tracker import store

    db = store.connect()
    store.manage_unit(db, args.user, args.name, "add", args.email)
    print(f"已添加单位 {args.name.strip()}")
    return 0


def run_list(args) -> int:
    import json

    from tracker import store

    units = store.list_units(store.connect())
    if args.json:
        rows = [{"name": u["name"], "email": u["email"], "active": bool(u["active"])} for u in units]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for u in units:
        print(f"{u['name']}\t{u['email'] or '—'}\t{'正常' if u['active'] else '已停用'}")
    return 0


def run_op(args) -> int:
    from tracker import store

    db = store.connect()
    store.manage_unit(db, args.user, args.name, args.op, getattr(args, "email", None))
    done = {"disable": "已停用", "enable": "已启用", "email": "已修改电子邮箱："}[args.op]
    print(f"{done}{args.name}")
    return 0
