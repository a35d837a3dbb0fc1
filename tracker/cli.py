"""Command-line entry: each module in COMMANDS adds its sub-commands with `register(subparsers)`.

A command is a function `run(args) -> int`; library errors (TrackerError) become one line on
stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from tracker.errors import TrackerError

# one module a command group, each with register(subparsers)
COMMANDS = [
    "tracker.commands.extract",
    "tracker.commands.bench",
    "tracker.commands.data",
    "tracker.commands.users",
    "tracker.commands.backup",
    "tracker.commands.export",
    "tracker.commands.units",
    "tracker.commands.supervision",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tracker", description="落实：工作报告任务落实跟踪")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except TrackerError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
