"""`export` and `reconcile`: the meeting's files and next year's review against this year's record."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from datetime import date
from pathlib import Path

from tracker.errors import InvalidInput

# the keys of export.FORMATS (tests check they agree), named here so that the CLI starts without pandas
FORMAT_NAMES = ["xlsx", "docx", "draft"]


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="导出报告：Excel 台账、Word 简报或年终工作回顾草稿",
        description="把一份报告的落实情况导出为文件。",
    )
    p.add_argument("--report", required=True, help="报告编号（见 items）")
    p.add_argument("--format", required=True, choices=FORMAT_NAMES, help="xlsx、docx 或 draft（纯文本）")
    p.add_argument("--out", required=True, help="输出文件路径")
    p.add_argument("--as-of", help="统计截至日期 YYYY-MM-DD（默认今天，限定在工作安排年度内）")
    p.add_argument(
        "--no-charts", action="store_true", help="Word 简报不生成图表图片，改用表格（不需要浏览器）"
    )
    p.set_defaults(run=run_export)

    p = sub.add_parser("reconcile", help="核对下一年度报告的工作回顾与本年度计划和登记数字")
    p.add_argument("--report", required=True, help="本年度报告编号")
    p.add_argument("--next", help="下一年度报告编号（默认：回顾年度等于本报告计划年度的报告）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.set_defaults(run=run_reconcile)


def run_export(args) -> int:
    from tracker import export, store

    db = store.connect()
    report = store.get_report(db, args.report)
    as_of = _as_of(args.as_of, report)
    data = export.FORMATS[args.format].build(db, args.report, as_of, charts=not args.no_charts)
    out = Path(args.out)
    out.write_bytes(data)
    print(f"已导出{export.FORMATS[args.format].label}：{out}（{len(data)} 字节）")
    return 0


def _as_of(raw: str | None, report: dict) -> date:
    from tracker import service

    if raw:
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"“{raw}”不是有效日期，请用 YYYY-MM-DD 格式") from None
    return service.default_as_of(report["plan_year"])


def run_reconcile(args) -> int:
    from tracker import reconcile, store

    db = store.connect()
    result = reconcile.reconcile(db, args.report, args.next)
    if args.json:
        out = {
            "report": args.report,
            "next": result.next_report["id"],
            "summary": result.summary(),
            "mentioned": [asdict(m) for m in result.mentioned],
            "unmentioned": [
                {"item_id": it["id"], "section": it["section"], "title": it["title"], "status": it["status"]}
                for it in result.unmentioned
            ],
            "counts": [asdict(c) for c in result.counts],
        }
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    s = result.summary()
    print(f"下一年度报告 {result.next_report['id']}（回顾 {result.next_report['review_year']} 年）")
    print(f"计划任务 {s['plan_items']} 项：报告提及 {s['mentioned']} 项，未提及 {s['unmentioned']} 项")
    for m in result.mentioned:
        print(f"  提及  [{m.status}] {m.section}. {m.title}  ← {m.quote[:40]}")
    for it in result.unmentioned:
        print(f"  未提及 [{it['status']}] {it['section']}. {it['title']}")
    print(
        f"数字：一致 {s['agree']} 项，不一致 {s['differ']} 项，本系统未登记 {s['unlogged']} 项，"
        f"报告未提及 {s['unreported']} 项，报告未公开 {s['redacted']} 项"
    )
    for c in result.counts:
        logged = "—" if c.logged is None else f"{c.logged:g}"
        reported = "***" if c.state == "redacted" else "—" if c.reported is None else f"{c.reported:g}"
        print(
            f"  {reconcile.STATE_LABELS[c.state]}  {c.label}：登记 {logged}{c.unit}，报告 {reported}{c.unit}"
        )
    return 0
