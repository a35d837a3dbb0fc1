"""`import`, `items`, `tick`, `status`, `progress`, `overview`, `undo`: the record from the command line, as a named user."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from tracker.errors import TrackerError
from tracker.model import PLAN, STATUSES, SYSTEM_USER, Status


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import",
        help="导入一个或多个工作报告（.txt/.docx/.pdf）到 $TRACKER_DB",
        description="导入工作报告。失败的文件不写入任何数据，退出码非零。",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="报告文件")
    p.add_argument("--user", default=SYSTEM_USER, help="以哪个管理员的身份导入（默认：命令行 system）")
    p.add_argument("--org", help="单位名称（区分同年份的不同单位的报告）")
    p.set_defaults(run=run_import)

    p = sub.add_parser("items", help="列出计划任务（编号、标题、状态、进度）")
    p.add_argument("--report", help="报告编号（默认：全部报告）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--user", help="只列出该用户可以查看的任务（单位账号：本单位牵头或配合的任务）")
    p.set_defaults(run=run_items)

    p = sub.add_parser("tick", help="把一项任务标记为已完成")
    p.add_argument("item_id", metavar="ITEM_ID", help="任务编号（见 items）")
    p.add_argument("--user", required=True, help="操作用户（工作人员或管理员）")
    p.add_argument("--date", help="生效日期 YYYY-MM-DD（默认今天；统计截至该日及以后才算完成）")
    p.add_argument("--note", help="说明")
    p.set_defaults(run=run_tick)

    p = sub.add_parser("status", help="修改一项任务的状态（未开始、推进中、已完成、受阻）")
    p.add_argument("item_id", metavar="ITEM_ID", help="任务编号（见 items）")
    p.add_argument("status", metavar="STATUS", help=f"新状态：{'、'.join(STATUSES)}")
    p.add_argument("--user", required=True, help="操作用户（工作人员或管理员）")
    p.add_argument("--date", help="生效日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--note", help="说明")
    p.add_argument("--evidence", help="佐证材料（链接或文件名）")
    p.set_defaults(run=run_status)

    p = sub.add_parser(
        "progress",
        help="填报数字目标的进度",
        description="填报数字目标的进度。累计型目标（如 建设委员工作室10家）填本次完成数量，各次相加；"
        "水平型和上限型目标（如 增长5%左右、赤字率3%以内）填截至该日期的当前值，以最新一次为准；"
        "节点型目标（如 建成1个…）完成时填 1。",
    )
    p.add_argument("metric_id", metavar="METRIC_ID", help="数字目标编号（见 items --json）")
    p.add_argument(
        "amount", metavar="AMOUNT", help="累计型：本次完成数量；水平型、上限型：当前值；节点型：完成填 1"
    )
    p.add_argument("--user", required=True, help="操作用户（工作人员或管理员）")
    p.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--note", help="说明或佐证材料")
    p.set_defaults(run=run_amount, action="progress", done="已记录进度")

    p = sub.add_parser("overview", help="一个报告在某日的统计（五种亮灯的数量、数字目标、活动数量）")
    p.add_argument("--report", required=True, help="报告编号（见 items）")
    p.add_argument("--as-of", dest="as_of", help="统计截至 YYYY-MM-DD（默认今天，限于计划年度内）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(run=run_overview)

    p = sub.add_parser("verify", help="管理员核实数字目标的进度（与工作人员填报的进度分开记录）")
    p.add_argument("metric_id", metavar="METRIC_ID", help="数字目标编号（见 items --json）")
    p.add_argument("amount", metavar="AMOUNT", help="本次核实的数量")
    p.add_argument("--user", required=True, help="操作用户（管理员）")
    p.add_argument("--date", help="核实日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--note", help="核实说明")
    p.set_defaults(run=run_amount, action="verify", done="已记录核实进度")

    p = sub.add_parser("undo", help="撤销一条记录（追加一条反向记录，不删除任何数据）")
    p.add_argument("event_id", metavar="EVENT_ID", help="记录编号")
    p.add_argument("--user", required=True, help="操作用户")
    p.set_defaults(run=run_undo)


def run_import(args) -> int:
    """Import each file in its own transaction; a bar on stderr, a summary table, exit 1 if any failed."""
    from tqdm import tqdm

    from tracker import service, store
    from tracker.read import read_file

    db = store.connect()
    rows = []
    bar = tqdm(args.paths, file=sys.stderr, unit="个文件", desc="导入", disable=len(args.paths) < 2)
    for path in bar:
        name = Path(path).name
        bar.set_postfix_str(name[:30])
        try:
            result = service.import_file(db, read_file(path), name, args.user, org=args.org)
            if args.user != SYSTEM_USER and store.list_units(db):  # 督办: owners in the text → units
                assigned = store.assign_from_text(db, args.user, result["report_id"])
                tqdm.write(f"{name}: 按原文分配单位 {assigned} 项", file=sys.stderr)
        except (TrackerError, OSError) as e:
            message = str(e) if isinstance(e, TrackerError) else f"无法读取文件（{e.strerror or e}）"
            tqdm.write(f"{name}: 失败：{message}", file=sys.stderr)
            rows.append([name, "失败", "", "", "", "", message])
            continue
        notes = [f"记录 #{result['event']}"] if result.get("event") else []
        if result["corrections"]:
            notes.append(f"新增 {result['corrections']} 处修改")
        if result["missing"]:
            notes.append(f"{result['missing']} 项在新版本中找不到")
        state = "未变" if result["unchanged"] else "已导入"
        rows.append(
            [
                name,
                state,
                result["report_id"],
                str(result["items"]),
                str(result["metrics"]),
                str(result["to_review"]),
                "；".join(notes),
            ]
        )
    bar.close()
    print(summary_table(["文件", "结果", "报告编号", "条目", "数字", "待核对", "说明"], rows))
    failed = sum(1 for r in rows if r[1] == "失败")
    print(f"共 {len(rows)} 个文件：成功 {len(rows) - failed} 个，失败 {failed} 个")
    return 1 if failed else 0


def summary_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table whose columns line up in a terminal (CJK characters are two columns wide)."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    widths = [max(width(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = [
        "  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run_items(args) -> int:
    from tracker import store

    db = store.connect()
    reports = [store.get_report(db, args.report)] if args.report else store.list_reports(db)
    visible = store.visible_items(db, args.user)  # refuses a name that is no account
    out = []
    for r in reports:
        goals = store.report_metrics(db, r["id"], PLAN)
        for it in store.report_items(db, r["id"], PLAN):
            if visible is not None and it["id"] not in visible:
                continue
            out.append(
                {
                    "id": it["id"],
                    "report": r["id"],
                    "section": it["section"],
                    "title": it["title"],
                    "status": it["status"],
                    "owner": it["owner"],
                    "units": store.assignment(it),
                    "due": it["due"],
                    "goals": [
                        {
                            "id": g["id"],
                            "activity": g["activity"],
                            "type": g["goal_type"],
                            "target": g["value"],
                            "unit": g["unit"],
                            "bound": g["bound"],
                            "progress": g["progress"],
                        }
                        for g in goals
                        if g["item_id"] == it["id"]
                    ],
                }
            )
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for row in out:
            goals = "；".join(
                f"{g['activity']} {g['progress']:g}/{g['target']:g}{g['unit']}"
                for g in row["goals"]
                if g["target"] is not None
            )
            print(
                f"{row['id']}  {row['status']:<4} {row['section']}. {row['title']}"
                + (f"  [{goals}]" if goals else "")
            )
    return 0


def run_tick(args) -> int:
    from tracker import store

    db = store.connect()
    event = store.record(
        db, args.user, "status", args.item_id, value=Status.DONE, date=args.date, note=args.note
    )
    print(f"已标记完成（记录 #{event}）" if event else "该任务已是已完成状态")
    return 0


def run_status(args) -> int:
    from tracker import store

    db = store.connect()
    event = store.record(
        db,
        args.user,
        "status",
        args.item_id,
        value=args.status,
        date=args.date,
        note=args.note,
        evidence=args.evidence,
    )
    print(f"状态已改为{args.status}（记录 #{event}）" if event else f"该任务已是{args.status}状态")
    return 0


def run_overview(args) -> int:
    from tracker import progress, service, store
    from tracker.dates import parse_date

    db = store.connect()
    report = store.get_report(db, args.report)
    as_of = (
        date.fromisoformat(parse_date(args.as_of))
        if args.as_of
        else service.default_as_of(report["plan_year"])
    )
    out = service.overview_json(service.overview(db, args.report, as_of))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    print(f"报告 {out['report']} · 统计截至 {out['as_of']} · 计划任务 {out['items']} 项")
    print(" · ".join(f"{k} {n}" for k, n in out["counts"].items()))
    for g in out["goals"]:
        shown = progress.fmt_number(g["progress"])
        print(f"{g['light']:<4} {g['activity']} {shown}/{progress.fmt_number(g['target'])}{g['unit']}")
    return 0


def run_amount(args) -> int:
    """`progress` and `verify`: an amount on a goal (args.action), and the line that confirms it."""
    from tracker import store

    db = store.connect()
    event = store.record(
        db, args.user, args.action, args.metric_id, amount=args.amount, date=args.date, note=args.note
    )
    print(f"{args.done}（记录 #{event}）")
    return 0


def run_undo(args) -> int:
    from tracker import store

    db = store.connect()
    event = store.record(db, args.user, "undo", args.event_id)
    print(f"已撤销 #{args.event_id}（记录 #{event}）")
    return 0
