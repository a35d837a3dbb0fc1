"""`python -m tracker bench ...`: benchmarks that print figures; `bench extract` times the extractor."""

from __future__ import annotations

import argparse

from tracker.bench import DEFAULT_CORPUS, bench_extract


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="性能测试：打印耗时数据", description="性能测试，打印耗时数据。")
    group = p.add_subparsers(dest="bench", required=True, metavar="BENCH")
    ex = group.add_parser(
        "extract", help="提取速度：每份报告的毫秒数与 MB/s", description="测量读取+解析每份报告的速度。"
    )
    ex.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="报告所在文件夹（默认 ../shared/corpus）")
    ex.add_argument("--repeat", type=int, default=5, help="每份重复次数，取最快一次（默认 5）")
    ex.set_defaults(run=run_extract)


def run_extract(args: argparse.Namespace) -> int:
    rows = bench_extract(args.corpus, repeat=max(1, args.repeat))
    if not rows:
        print(f"{args.corpus} 中没有 .txt/.docx/.pdf 文件")
        return 1
    print(f"{'file':40} {'KB':>8} {'ms':>8} {'MB/s':>8} {'items':>6} {'metrics':>8}")
    for r in rows:
        print(
            f"{r['file']:40} {r['bytes'] / 1024:8.1f} {r['ms']:8.2f} {r['mb_per_s']:8.2f} {r['items']:6d} {r['metrics']:8d}"
        )
    total_bytes = sum(r["bytes"] for r in rows)
    total_ms = sum(r["ms"] for r in rows)
    print(
        f"{'TOTAL':40} {total_bytes / 1024:8.1f} {total_ms:8.2f} {total_bytes / 1e6 / (total_ms / 1000):8.2f}"
    )
    return 0
