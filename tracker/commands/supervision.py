"""督办 from the command line: `assign`, `cycle open|list`, `report`, `evidence`, `missing`, `comment`,
`remind`. Every write is `store.record` as the named user; scope and roles are the library's."""

from __future__ import annotations

import argparse
import json
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("assign", help="分配任务的牵头单位和配合单位")
    p.add_argument("item_id", metavar="ITEM_ID", help="任务编号（见 items）")
    p.add_argument("--unit", required=True, help="牵头单位（留空字符串则取消分配）")
    p.add_argument("--co", action="append", default=[], metavar="UNIT", help="配合单位（可多次给出）")
    p.add_argument("--user", required=True, help="操作用户（管理员或办公室工作人员）")
    p.set_defaults(run=run_assign)

    p = sub.add_parser("cycle", help="报告期：开启（管理员）、列出")
    cycle = p.add_subparsers(dest="cycle_command", required=True, metavar="ACTION")
    o = cycle.add_parser("open", help="开启报告期，如 2023-06 或 2023-Q2；已开启的则修改截止日期")
    o.add_argument("label", metavar="PERIOD", help="报告期：2023-06（月度）或 2023-Q2（季度）")
    o.add_argument("--due", help="报送截止日期 YYYY-MM-DD（默认报告期结束后 5 天）")
    o.add_argument("--user", required=True, help="操作的管理员")
    o.set_defaults(run=run_cycle_open)
    lst = cycle.add_parser("list", help="列出报告期")
    lst.add_argument("--json", action="store_true", help="输出 JSON")
    lst.set_defaults(run=run_cycle_list)

    p = sub.add_parser("report", help="报送一项任务在一个报告期的进展情况（可附佐证材料）")
    p.add_argument("item_id", metavar="ITEM_ID", help="任务编号")
    p.add_argument("--period", required=True, help="报告期，如 2023-06")
    p.add_argument("--text", required=True, help="进展情况")
    p.add_argument("--attach", action="append", default=[], metavar="FILE", help="佐证材料文件（可多次给出）")
    p.add_argument("--unit", help="代哪个单位报送（仅办公室工作人员；单位账号按本单位报送）")
    p.add_argument("--user", required=True, help="操作用户")
    p.set_defaults(run=run_report)

    p = sub.add_parser("evidence", help="把一项任务的佐证材料按原文件名写到目录")
    p.add_argument("item_id", metavar="ITEM_ID", help="任务编号")
    p.add_argument("--out", required=True, metavar="DIR", help="输出目录")
    p.add_argument("--user", help="以哪个用户的权限读取（单位账号只能读本单位的任务）")
    p.set_defaults(run=run_evidence)

    p = sub.add_parser("missing", help="列出某报告期未报送进展的单位及其任务")
    p.add_argument("--period", required=True, help="报告期，如 2023-06")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(run=run_missing)

    p = sub.add_parser("comment", help="领导对一项任务作出批示")
    p.add_argument("item_id", metavar="ITEM_ID", help="任务编号")
    p.add_argument("--text", required=True, help="批示内容")
    p.add_argument("--user", required=True, help="领导（或管理员）")
    p.set_defaults(run=run_comment)

    p = sub.add_parser("remind", help="督办提醒：每个单位的到期、超期、未报送和未阅批示")
    p.add_argument("--as-of", required=True, metavar="DATE", help="按哪一天计算 YYYY-MM-DD")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--send", action="store_true", help="通过 SMTP 发邮件给有邮箱的单位")
    p.add_argument("--smtp", metavar="HOST:PORT", help="邮件服务器")
    p.add_argument("--from", dest="sender", metavar="ADDR", help="发件人地址")
    p.add_argument("--starttls", action="store_true", help="使用 STARTTLS 加密")
    p.add_argument("--user", dest="smtp_user", metavar="U", help="SMTP 登录用户名")
    p.add_argument("--password-env", metavar="VAR", help="保存 SMTP 密码的环境变量名")
    p.set_defaults(run=run_remind)


def run_assign(args) -> int:
    from tracker import store

    db = store.connect()
    event = store.record(db, args.user, "assign", args.item_id, value={"lead": args.unit, "co": args.co})
    print(f"已分配（记录 #{event}）" if event else "分配没有变化")
    return 0


def run_cycle_open(args) -> int:
    from tracker import periods, store

    db = store.connect()
    label = periods.normalise_label(args.label)
    store.record(db, args.user, "cycle_open", label, due=args.due)
    row = store.get_period(db, label)
    print(f"已开启报告期 {label}（{periods.as_period(row).name}），报送截止 {row['due']}")
    return 0


def run_cycle_list(args) -> int:
    from tracker import store

    rows = [
        {"label": p["label"], "kind": p["kind"], "start": p["start"], "end": p["end"], "due": p["due"]}
        for p in store.list_periods(store.connect())
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    for p in [] if args.json else rows:
        print(f"{p['label']}\t{p['start']}～{p['end']}\t截止 {p['due']}")
    return 0


def run_report(args) -> int:
    from pathlib import Path

    from tracker import evidence, store
    from tracker.read import read_file

    files = []
    for path in args.attach:
        data = read_file(path)
        evidence.check(data, Path(path).name)  # every file checked before anything is written
        files.append((Path(path).name, data))
    db = store.connect()
    event = store.record(
        db, args.user, "report", args.item_id, period=args.period, text=args.text, files=files, unit=args.unit
    )
    latest = store.progress_reports(db, [args.item_id], period=args.period)[0]
    late = "（逾期报送）" if latest["late"] else ""
    print(f"已报送 {latest['period']} 进展{late}，佐证材料 {len(latest['files'])} 个（记录 #{event}）")
    return 0


def _check_read(db, user: str | None, item_id: str) -> None:
    from tracker import store
    from tracker.errors import PermissionDenied

    store.get_row(db, "items", item_id)
    visible = store.visible_items(db, user)
    if visible is not None and item_id not in visible:
        raise PermissionDenied(f"用户 {user} 无权查看不属于本单位的任务")


def run_evidence(args) -> int:
    from tracker import evidence, store

    db = store.connect()
    _check_read(db, args.user, args.item_id)
    paths = evidence.write_back(store.evidence_files(db, args.item_id), args.out)
    for path in paths:
        print(path)
    if not paths:
        print("该任务没有佐证材料", file=sys.stderr)
    return 0


def run_missing(args) -> int:
    from tracker import store

    rows = store.missing_for(store.connect(), args.period)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r['unit']}\t{r['email'] or '—'}\t{len(r['items'])} 项：{'、'.join(r['items'])}")
    if not rows:
        print("所有单位均已报送")
    return 0


def run_comment(args) -> int:
    from tracker import store

    event = store.record(store.connect(), args.user, "comment", args.item_id, text=args.text)
    print(f"已批示（记录 #{event}）")
    return 0


def run_remind(args) -> int:
    from tracker import periods, remind, store
    from tracker.errors import InvalidInput

    try:
        as_of = periods.as_date(args.as_of)
    except ValueError:
        raise InvalidInput(f"“{args.as_of}”不是有效日期，请用 YYYY-MM-DD 格式") from None
    rows = store.reminders_for(store.connect(), as_of)
    if args.json:
        print(json.dumps(remind.to_json(rows), ensure_ascii=False, indent=1))
    elif not args.send:
        for r in rows:
            print(f"收件人：{r.unit} <{r.email or '未登记邮箱'}>\n主题：{remind.subject(r)}\n")
            print(remind.render_text(r))
            print("-" * 40)
        if not rows:
            print("没有需要提醒的单位")
    if not args.send:
        return 0
    if not args.smtp or not args.sender:
        raise InvalidInput("发送邮件需要 --smtp HOST:PORT 和 --from ADDR")
    host, _, port = args.smtp.rpartition(":")
    if not host or not port.isdigit():
        raise InvalidInput(f"“{args.smtp}”不是 HOST:PORT 格式")
    password = os.environ.get(args.password_env) if args.password_env else None
    if args.password_env and password is None:
        raise InvalidInput(f"环境变量 {args.password_env} 没有设置")
    messages, skipped = remind.outbox(rows, args.sender)
    result = remind.send(messages, host, int(port), args.starttls, args.smtp_user, password)
    for to in result.sent:
        print(f"已发送：{to}", file=sys.stderr if args.json else sys.stdout)
    for unit in skipped:
        print(f"未发送（没有登记邮箱）：{unit}", file=sys.stderr)
    for to, reason in result.refused:
        print(f"被拒收：{to}（{reason}）", file=sys.stderr)
    return 1 if result.refused else 0
