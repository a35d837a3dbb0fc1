"""`python -m tracker bench ...`: benchmarks that print figures; `bench extract` times the extractor."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.bench import DEFAULT_CORPUS, FIXTURE_GOLD, bench_extract, bench_precision


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="性能测试：打印耗时数据", description="性能测试，打印耗时数据。")
    group = p.add_subparsers(dest="bench", required=True, metavar="BENCH")
    ex = group.add_parser(
        "extract",
        help="提取速度：每份报告的毫秒数与 MB/s",
        description="测量读取+解析每份报告的速度；有完整标注的样本另打印 precision 行（条目与数字的查准率、查全率）。",
    )
    ex.add_argument("--corpus", default=str(DEFAULT_CORPUS), help="报告所在文件夹（默认 ../shared/corpus）")
    ex.add_argument("--repeat", type=int, default=5, help="每份重复次数，取最快一次（默认 5）")
    ex.set_defaults(run=run_extract)
    register_scale(group)
    register_browser(group)


def run_extract(args: argparse.Namespace) -> int:
    rows = bench_extract(args.corpus, repeat=max(1, args.repeat))
    if not rows:
        print(f"{args.corpus} 中没有 .txt/.docx/.pdf 文件")
        return 1
    print(
        f"{'file':40} {'KB':>8} {'ms':>8} {'MB/s':>8} {'items':>6} {'metrics':>8} {'naive ms':>9} {'ratio':>6}"
    )
    for r in rows:
        print(
            f"{r['file']:40} {r['bytes'] / 1024:8.1f} {r['ms']:8.2f} {r['mb_per_s']:8.2f} {r['items']:6d} "
            f"{r['metrics']:8d} {r['naive_ms']:9.2f} {r['naive_ms'] / r['ms']:6.2f}"
        )
    total_bytes = sum(r["bytes"] for r in rows)
    total_ms = sum(r["ms"] for r in rows)
    naive_ms = sum(r["naive_ms"] for r in rows)
    print(
        f"{'TOTAL':40} {total_bytes / 1024:8.1f} {total_ms:8.2f} {total_bytes / 1e6 / (total_ms / 1000):8.2f} "
        f"{'':6} {'':8} {naive_ms:9.2f} {naive_ms / total_ms:6.2f}"
    )
    print(
        f"speed against a naive regex extractor (one regex, cn2an on matches), same run: "
        f"{naive_ms / total_ms:.2f}× its speed (target ≥ 0.5); naive {total_bytes / 1e6 / (naive_ms / 1000):.2f} MB/s"
    )
    for row in bench_precision((args.corpus, FIXTURE_GOLD)):  # golds holding items or metrics completely
        print(
            f"precision {row['gold']}: "
            + " | ".join(_pr(cat, row[cat]) for cat in ("items", "metrics") if cat in row)
        )
    return 0


def _pr(category: str, counts: tuple[int, int, int]) -> str:
    found, wanted, extracted = counts
    p = f"{found / extracted:.2f}" if extracted else "n/a"
    r = f"{found / wanted:.2f}" if wanted else "n/a"
    return f"{category} P={p} R={r} ({found}/{wanted} found, {extracted} extracted)"


# --- bench all / concurrency / generate (issue 8) ------------------------------------------------

LARGE_DB = Path(__file__).resolve().parents[2] / "data" / "bench-large.db"
BENCH_TODAY = "2023-07-01"  # the sample's plan year, mid-way: lights and paces as in July


def register_scale(group) -> None:
    a = group.add_parser(
        "all",
        help="全部：提取、导入、总览数据查询与页面渲染（示例库与大库）",
        description="打印提取速度、导入耗时、总览的数据查询和 AppTest 渲染耗时；先示例库，后大库"
        "（大库不存在时先生成，约 30 秒）。目标：大库上总览数据 < 200 ms，页面 < 1 s。",
    )
    a.add_argument(
        "--large", default=str(LARGE_DB), help=f"大库文件（默认 {LARGE_DB.relative_to(LARGE_DB.parents[1])}）"
    )
    a.add_argument("--repeat", type=int, default=5, help="每项重复次数（默认 5）")
    a.add_argument("--skip-large", action="store_true", help="只测示例库")
    a.set_defaults(run=run_all)

    c = group.add_parser(
        "concurrency",
        help="并发写入：多个工作人员（线程与进程）同时填报同一目标",
        description="半数线程、半数进程，各自连接，同时通过 store.record 填报进度；检查每条只存一次、无锁错误。",
    )
    c.add_argument("--writers", type=int, default=20, help="写入者数量（默认 20）")
    c.add_argument("--entries", type=int, default=200, help="每个写入者的条数（默认 200）")
    c.set_defaults(run=run_concurrency)

    g = group.add_parser(
        "generate",
        help="生成大库：数百个单位 × 数年的报告与记录",
        description="生成用于性能测试的大数据库（默认 250 个单位 × 4 年，10 万条任务，100 万条记录）。",
    )
    g.add_argument("--out", required=True, help="输出的数据库文件（已存在则在其中追加）")
    g.add_argument("--orgs", type=int, default=250, help="单位数（默认 250）")
    g.add_argument("--years", type=int, default=4, help="年数（默认 4）")
    g.add_argument("--items", type=int, default=100, help="每份报告的条目数（默认 100）")
    g.add_argument("--events", type=int, default=1000, help="每份报告的记录数（默认 1000）")
    g.add_argument("--seed", type=int, default=8, help="随机种子（默认 8）")
    g.set_defaults(run=run_generate)


def _machine() -> str:
    import os
    import platform

    from tracker import store

    return (
        f"{platform.python_implementation()} {platform.python_version()}, {store.engine_version()}, "
        f"{os.cpu_count()} CPU, {platform.machine()}"
    )


def _generate(path: Path, **kw) -> None:
    import time

    from tracker import generate

    t0 = time.perf_counter()
    counts = generate.generate(path, progress=_bar(), **kw)
    print(
        f"  生成 {path}: {counts} 用时 {time.perf_counter() - t0:.1f} s，{path.stat().st_size / 1e6:.0f} MB"
    )


def _bar():
    import sys

    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\r  生成 {done}/{total}", end="" if done < total else "\n", file=sys.stderr)

    return show


def run_generate(args) -> int:
    _generate(
        Path(args.out),
        orgs=args.orgs,
        years=args.years,
        items_per_report=args.items,
        events_per_report=args.events,
        seed=args.seed,
    )
    return 0


def run_all(args) -> int:
    import tempfile

    from tracker import bench, store
    from tracker.model import Role

    repeat = max(1, args.repeat)
    print(f"机器：{_machine()}")
    rows = bench_extract(DEFAULT_CORPUS, repeat=repeat)
    if rows:
        total_bytes, total_ms = sum(r["bytes"] for r in rows), sum(r["ms"] for r in rows)
        sample = next((r for r in rows if r["file"] == store.SAMPLE_REPORT.name), rows[0])
        print(
            f"提取：{len(rows)} 份报告 {total_bytes / 1e6:.2f} MB，共 {total_ms:.1f} ms，"
            f"{total_bytes / 1e6 / (total_ms / 1000):.2f} MB/s；{sample['file']} {sample['ms']:.2f} ms"
        )
    imp = bench.bench_import(repeat=repeat)
    print(
        f"导入：{imp['file']}（{imp['items']} 条目，{imp['metrics']} 个数字）最快 {imp['best_ms']:.1f} ms，"
        f"中位 {imp['median_ms']:.1f} ms"
    )

    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("示例库", bench.sample_database(Path(tmp) / "sample.db"))]
        if not args.skip_large:
            large = Path(args.large)
            if not large.exists():
                print(f"大库 {large} 不存在，先生成：")
                _generate(large)
            cases.append(("大库", large))
        for label, path in cases:
            data = bench.bench_overview_data(path, repeat=max(repeat, 10), today=BENCH_TODAY)
            page = bench.time_overview_page(path, "leader", Role.LEADER, repeat=repeat, today=BENCH_TODAY)
            print(
                f"{label}（{path.name}，{path.stat().st_size / 1e6:.0f} MB，{data['reports']} 份报告，"
                f"页面标题“{page['title']}”）："
            )
            print(
                f"  总览数据 中位 {data['median_ms']:.1f} ms，最慢 {data['max_ms']:.1f} ms"
                f"（{data['items']} 项任务，{data['goals']} 个目标）"
            )
            print(
                f"  总览页面 AppTest：无缓存 中位 {page['cold_ms']:.0f} ms（最慢 {page['cold_max_ms']:.0f}），"
                f"有缓存 中位 {page['warm_ms']:.0f} ms（最慢 {page['warm_max_ms']:.0f}）"
            )
            if label == "大库":
                ok_data, ok_page = data["median_ms"] < 200, page["cold_ms"] < 1000
                failed = not (ok_data and ok_page)
                print(
                    f"  目标：数据 < 200 ms {'达到' if ok_data else '未达到'}；页面 < 1 s {'达到' if ok_page else '未达到'}"
                )
    return 1 if failed else 0


def run_concurrency(args) -> int:
    import tempfile

    from tracker import bench

    with tempfile.TemporaryDirectory() as tmp:
        r = bench.concurrency_report(Path(tmp) / "concurrency.db", writers=args.writers, entries=args.entries)
    print(f"机器：{_machine()}")
    print(
        f"{r['writers']} 个写入者（线程与进程各半）共 {r['entries']} 条进度，用时 {r['seconds']:.2f} s，"
        f"{r['per_second']:.0f} 条/s"
    )
    print(f"每条写入耗时：中位 {r['p50_ms']:.1f} ms，P95 {r['p95_ms']:.1f} ms，最慢 {r['max_ms']:.1f} ms")
    print(f"目标：最慢一条 < 1 s（issue 15）{'达到' if r['max_ms'] < 1000 else '未达到'}")
    print(
        f"丢失 {r['missing']} 条，重复 {r['duplicated']} 条，进度合计{'一致' if r['sum_ok'] else '不一致'}，"
        f"错误 {len(r['errors'])} 个"
    )
    for e in r["errors"][:5]:
        print(f"  {e}")
    ok = not r["errors"] and not r["missing"] and not r["duplicated"] and r["sum_ok"]
    print("结果：通过" if ok else "结果：失败")
    return 0 if ok else 1


# --- bench browser (issue 15): what a person waits for -------------------------------------------


def register_browser(group) -> None:
    b = group.add_parser(
        "browser",
        help="真实浏览器：登录到总览画完、地址栏打开、切换报告、保存，与同样结构的最简页面对比",
        description="用 Debian 的 chromium（Playwright 驱动）计时：登录 → 总览图表画完、地址栏打开总览、"
        "切换报告、任务页保存一次填报；同一轮中与最简页面（登录框 + 6 个指标 + 5 张图）交替测量，"
        "打印中位数与比值。需要开发依赖 playwright 与 /usr/bin/chromium。",
    )
    b.add_argument("--repeat", type=int, default=5, help="轮数（默认 5，另加一轮预热不计）")
    b.add_argument("--large", default=str(LARGE_DB), help="大库文件（不存在则只测示例库）")
    b.add_argument("--skip-large", action="store_true", help="只测示例库")
    b.set_defaults(run=run_browser)


def run_browser(args) -> int:
    import tempfile

    from tracker import browser_bench, generate

    if not browser_bench.CHROMIUM.exists():
        print(f"找不到 {browser_bench.CHROMIUM}：请先 apt-get install -y chromium fonts-noto-cjk")
        return 1
    print(f"机器：{_machine()}；浏览器：{browser_bench.CHROMIUM}，窗口 1400×900")
    with tempfile.TemporaryDirectory() as tmp:
        cases = [("示例库", browser_bench.prepare_sample(Path(tmp) / "sample.db"))]
        large = Path(args.large)
        if not args.skip_large and large.exists():
            cases.append(("大库", browser_bench.copy_database(large, Path(tmp) / "large.db")))
        elif not args.skip_large:
            print(f"（{large} 不存在，只测示例库；先运行 bench generate --out {large}）")
        rows = browser_bench.measure(cases, "staff01", generate.PASSWORD, repeat=max(1, args.repeat))
    floor = next((r["median_s"] for r in rows if r["case"] == "对照页"), None)
    print(f"{'库':8} {'操作':22} {'中位数 s':>9} {'最快':>7} {'最慢':>7} {'比值':>6}  说明")
    for r in rows:
        ratio = ""
        if floor and r["what"].startswith("登录"):
            ratio = f"{r['median_s'] / floor:6.2f}"
        print(
            f"{r['case']:8} {r['what']:22} {r['median_s']:9.2f} {r['min_s']:7.2f} {r['max_s']:7.2f} "
            f"{ratio:>6}  {r['note']}"
        )
    return 0
