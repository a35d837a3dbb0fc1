"""`backup OUT.db` and `restore IN.db`: the database file, copied safely while the app runs."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="在线备份数据库到一个文件（应用运行时也可以执行）",
        description="用 SQLite 在线备份把 $TRACKER_DB 复制为一个完整的数据库文件。",
    )
    p.add_argument("out", metavar="OUT.db", help="备份文件路径（已存在则覆盖）")
    p.set_defaults(run=run_backup)

    p = sub.add_parser(
        "restore",
        help="用备份文件恢复数据库（先检查文件，并把当前数据另存一份）",
        description="检查 IN.db 是落实系统的数据库后，用它替换 $TRACKER_DB 的内容；"
        "当前数据先另存为 <数据库>.before-restore-<时间>.db。",
    )
    p.add_argument("src", metavar="IN.db", help="要恢复的备份文件")
    p.set_defaults(run=run_restore)


def _bar(label: str):
    def show(done: int, total: int) -> None:
        if sys.stderr.isatty() and total:
            print(f"\r{label} {done * 100 // total:3d}%", end="" if done < total else "\n", file=sys.stderr)

    return show


def run_backup(args) -> int:
    from tracker import store
    from tracker.store import backup

    result = backup.backup(args.out, progress=_bar("备份"))
    print(
        f"已备份 {store.db_path()} → {result['path']}（{result['bytes'] / 1e6:.1f} MB，数据库版本 {result['version']}）"
    )
    return 0


def run_restore(args) -> int:
    from tracker.store import backup

    result = backup.restore(args.src, progress=_bar("恢复"))
    if result["previous"]:
        print(f"原数据已另存为 {result['previous']}")
    print(f"已用 {args.src} 恢复 {result['path']}（数据库版本 {result['version']}）")
    return 0
