"""`python -m tracker extract PATH [--json]`: show what the extractor finds in one document."""

from __future__ import annotations

import argparse
import json

from tracker.extract import extract_path
from tracker.model import PLAN, Part


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "extract",
        help="从一份工作报告（.txt/.docx/.pdf）提取部分、条目和数字，不写数据库",
        description="从一份工作报告（.txt/.docx/.pdf）提取回顾与安排、章节、条目和数字指标。",
    )
    p.add_argument("path", metavar="PATH", help="报告文件路径")
    p.add_argument("--json", action="store_true", help="输出一个 JSON 对象（见 EXTRACT_JSON.md）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    report = extract_path(args.path)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
        return 0
    print(f"{report.title or '（无标题）'}  {report.org}".rstrip())
    print(
        f"回顾年份：{report.review_year}  安排年份：{report.plan_year}  报告日期：{report.report_date or '—'}"
    )
    for part in Part:
        sections = sum(1 for s in report.sections if s.part == part)
        items = sum(1 for i in report.items if i.part == part)
        metrics = sum(1 for m in report.metrics if m.part == part)
        print(f"{part.label}：章节 {sections}，条目 {items}，数字指标 {metrics}")
    for m in report.metrics:
        if m.part == PLAN:
            value = "***" if m.redacted else m.value
            print(f"  目标：{m.activity} {value}{m.unit}  〔{m.quote}〕")
    return 0
