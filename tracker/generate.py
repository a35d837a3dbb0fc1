"""A large, plausible database for benchmarks: many organisations × several years of reports, with
the event log a few years of staff work would leave (status changes, progress, activities, notes).

Rows are made in Python and written with store.bulk_insert (executemany) in one transaction; the
cached state columns (items.status, metrics.progress, ...) are computed from the generated events
exactly as store.record would have left them, so store.rebuild_state() changes nothing.
Deterministic for a given seed.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from argon2 import PasswordHasher

from tracker import store
from tracker.model import PLAN, REVIEW, Bound, Role, Status

PLACES = ("东城", "西城", "南山", "北湖", "江北", "河西", "青山", "白云", "金水", "天河", "海滨", "高新", "龙岗",
          "云岩", "秀洲", "鼓楼", "长宁", "滨江", "新城", "武侯", "雁塔", "历下", "和平", "思明", "黄埔")  # fmt: skip
BODIES = ("区政协", "区人大常委会", "区人民政府", "县政协", "市政协", "市人民政府", "县人大常委会", "市人大常委会",
          "区政协办公室", "县人民政府")  # fmt: skip
VERBS = ("推进", "加强", "完善", "深化", "健全", "提升", "畅通", "优化", "落实", "拓展", "强化", "创新")
THINGS = ("民意沟通渠道", "委员服务管理", "协商议政质量", "民主监督实效", "宣传阵地建设", "调查研究工作",
          "提案办理质量", "界别活动", "对口联系机制", "委员履职档案", "基层协商平台", "社情民意信息工作",
          "专委会建设", "机关自身建设", "文史资料工作", "对外交往", "营商环境", "城乡融合发展")  # fmt: skip
ACTIVITIES = ("召开常委会议", "开展专题协商", "组织视察调研", "收到委员提案", "报送社情民意信息", "举办委员培训",
              "召开主席会议", "开展界别协商", "组织民主监督", "举办委员读书活动")  # fmt: skip
GOALS = (("建设委员工作室", "家"), ("组织全员集中培训", "次"), ("开展专题调研", "项"), ("新增就业", "万人"),
         ("建成口袋公园", "个"), ("完成旧改项目", "个"), ("举办协商议事会", "场"), ("报送调研报告", "篇"))  # fmt: skip
UNITS = ("次", "件", "次", "件", "条", "期", "次", "次", "次", "场")
STATUS_STEPS = (Status.IN_PROGRESS, Status.DONE, Status.BLOCKED, Status.IN_PROGRESS, Status.DONE)

ITEM_COLUMNS = ["id", "report_id", "part", "section", "section_title", "title", "text", "start", "kind",
                "position", "due_text", "missing", "status", "owner", "co_owner", "due", "updated_at",
                "updated_by"]  # fmt: skip
METRIC_COLUMNS = ["id", "report_id", "item_id", "part", "kind", "value", "value_max", "unit", "approx", "bound",
                  "redacted", "activity", "quote", "start", "position", "missing", "filled_value", "progress",
                  "verified"]  # fmt: skip
EVENT_COLUMNS = ["at", "user", "report_id", "target_type", "target_id", "action", "field", "before", "after",
                 "amount", "date", "note", "evidence", "undoes"]  # fmt: skip
SECTION_COLUMNS = ["id", "report_id", "part", "number", "level", "title", "start", "position"]
REPORT_COLUMNS = ["id", "org", "title", "review_year", "plan_year", "report_date", "filename", "content_hash",
                  "text", "imported_at", "imported_by"]  # fmt: skip

STAFF = [f"staff{n:02d}" for n in range(1, 21)]
PASSWORD = "benchmark-1"  # the generated accounts' password: admin, leader, staff01..staff20


def organisations(count: int) -> list[str]:
    names = [f"{p}{b}" for b in BODIES for p in PLACES]
    out = names[:count]
    n = 2
    while len(out) < count:  # more than the list holds: number them
        out += [f"{name}（{n}）" for name in names[: count - len(out)]]
        n += 1
    return out


def generate(path: str | Path, orgs: int = 250, years: int = 4, items_per_report: int = 100,
             events_per_report: int = 1000, first_plan_year: int = 2020, seed: int = 8,
             progress: Callable[[int, int], None] | None = None) -> dict:  # fmt: skip
    """Create (or add to) the database at `path`; returns store.table_counts afterwards.

    Defaults: 250 organisations × 4 years = 1 000 reports, 100 000 items, 18 000 metrics,
    1 000 000 events. Accounts admin, leader and staff01..staff20 get the password PASSWORD.
    """
    rng = random.Random(seed)
    db = store.connect(path)
    password_hash = PasswordHasher().hash(PASSWORD)  # once: argon2 is slow on purpose
    for name, role in [("admin", Role.ADMIN), ("leader", Role.LEADER), *((s, Role.STAFF) for s in STAFF)]:
        if store.get_user(db, name) is None:
            store.insert_user(db, name, role, password_hash, by=None)
    total = orgs * years
    with store.transaction(db):
        for n, (org, year) in enumerate(
            (o, first_plan_year + y) for o in organisations(orgs) for y in range(years)
        ):
            _one_report(db, rng, org, year, items_per_report, events_per_report)
            if progress:
                progress(n + 1, total)
    counts = store.table_counts(db)
    store.close(db)
    return counts


def _one_report(db, rng: random.Random, org: str, plan_year: int, n_items: int, n_events: int) -> None:
    report_id = store.stable_id("report", org, plan_year - 1, plan_year)
    imported = f"{plan_year}-01-20T02:00:00.000000Z"
    n_plan = n_items * 3 // 5
    parts = [(REVIEW, n_items - n_plan), (PLAN, n_plan)]
    sections, items, lines = [], [], [f"{org}{plan_year}年工作报告", f"{plan_year - 1}年工作回顾"]
    for part, count in parts:
        if part == PLAN:
            lines.append(f"{plan_year}年工作安排")
        for s in range(1, 6):
            title = f"{rng.choice(VERBS)}{rng.choice(THINGS)}"
            sections.append((store.stable_id(report_id, part, 1, s, title), report_id, part, s, 1, title, 0,
                             len(sections)))  # fmt: skip
            lines.append(f"{'一二三四五'[s - 1]}、{title}")
            for k in range(count // 5 + (1 if s <= count % 5 else 0)):
                heading = f"{rng.choice(VERBS)}{rng.choice(THINGS)}"
                text = f"{heading}。围绕{rng.choice(THINGS)}，{rng.choice(VERBS)}{rng.choice(THINGS)}。"
                lines.append(text)
                item_id = store.stable_id(report_id, part, s, heading, k)
                due = f"{plan_year}-06-30" if part == PLAN and rng.random() < 0.2 else (
                    f"{plan_year}-12-31" if part == PLAN else None)  # fmt: skip
                items.append([item_id, report_id, part, s, title, heading, text, 0, "lead", len(items), due, 0,
                              Status.NOT_STARTED, "", "", due, None, None])  # fmt: skip
    plan_items = [it for it in items if it[2] == PLAN]
    metrics = []
    for g, (activity, unit) in enumerate(GOALS):
        target = float(rng.choice((2, 5, 10, 12, 20, 50, 100)))
        item = plan_items[g * len(plan_items) // len(GOALS)]
        metrics.append([store.stable_id(report_id, PLAN, activity, unit, "target", 1), report_id, item[0], PLAN,
                        "target", target, None, unit, 0, Bound.MIN if g % 3 == 0 else None, 0, activity,
                        f"{activity}{target:g}{unit}", 0, len(metrics), 0, None, 0.0, 0.0])  # fmt: skip
    for a, activity in enumerate(ACTIVITIES):
        redacted = rng.random() < 0.3
        value = None if redacted else float(rng.randint(3, 400))
        quote = f"{activity}{'***' if redacted else f'{value:g}'}{UNITS[a]}"
        metrics.append([store.stable_id(report_id, REVIEW, activity, UNITS[a], "count", 1), report_id, None,
                        REVIEW, "count", value, None, UNITS[a], 0, None, int(redacted), activity, quote, 0,
                        len(metrics), 0, None, 0.0, 0.0])  # fmt: skip
    text = "\n".join(lines + [m[12] + "。" for m in metrics])
    store.bulk_insert(db, "reports", REPORT_COLUMNS, [(report_id, org, f"{org}工作报告", plan_year - 1, plan_year,
                      f"{plan_year}-01-15", f"{org}-{plan_year}.txt", store.stable_id(text), text, imported,
                      store.SYSTEM_USER)])  # fmt: skip
    store.bulk_insert(db, "sections", SECTION_COLUMNS, sections)
    events = [(imported, store.SYSTEM_USER, report_id, "report", report_id, "import", None, None,
               json.dumps({"items": len(items), "metrics": len(metrics)}), None, None, None, None, None)]  # fmt: skip
    events += _events(rng, report_id, plan_year, plan_items, metrics, n_events - 1)
    store.bulk_insert(db, "items", ITEM_COLUMNS, items)
    store.bulk_insert(db, "metrics", METRIC_COLUMNS, metrics)
    store.bulk_insert(db, "events", EVENT_COLUMNS, events)


def _events(rng, report_id, plan_year, plan_items, metrics, count) -> list[tuple]:
    """Staff work through the plan year, in time order; updates the item and metric rows it touches."""
    start = date(plan_year, 1, 20)
    goals = [m for m in metrics if m[3] == PLAN]
    reviews = [m for m in metrics if m[3] == REVIEW]
    owners = ("办公室", "提案委", "经济委", "社法委", "文史委", "研究室")
    days = sorted(rng.randrange(0, 340) for _ in range(count))
    out = []
    for n, offset in enumerate(days):
        day = start + timedelta(days=offset)
        at = f"{day.isoformat()}T{n % 10 + 1:02d}:{n % 60:02d}:00.000000Z"
        user = rng.choice(STAFF)
        roll = rng.random()
        if roll < 0.5:  # an activity logged against a review category
            m = rng.choice(reviews)
            out.append((at, user, report_id, "metric", m[0], "activity", None, None, None,
                        float(rng.randint(1, 3)), day.isoformat(), "登记活动", None, None))  # fmt: skip
        elif roll < 0.75:  # progress on a numeric goal
            m = rng.choice(goals)
            amount = float(rng.randint(1, 2))
            m[17] += amount
            out.append((at, user, report_id, "metric", m[0], "progress", None, None, None, amount,
                        day.isoformat(), "填报进度", None, None))  # fmt: skip
        elif roll < 0.9:  # a commitment moves on
            it = rng.choice(plan_items)
            before, after = it[12], STATUS_STEPS[rng.randrange(len(STATUS_STEPS))]
            if before == after:
                continue
            it[12], it[16], it[17] = after, at, user
            out.append((at, user, report_id, "item", it[0], "status", "status", json.dumps(before,
                        ensure_ascii=False), json.dumps(after, ensure_ascii=False), None, None, None, None,
                        None))  # fmt: skip
        elif roll < 0.95:  # an owner is named
            it = rng.choice(plan_items)
            before, after = it[13], rng.choice(owners)
            if before == after:
                continue
            it[13], it[16], it[17] = after, at, user
            out.append((at, user, report_id, "item", it[0], "owner", "owner", json.dumps(before, ensure_ascii=False),
                        json.dumps(after, ensure_ascii=False), None, None, None, None, None))  # fmt: skip
        else:
            it = rng.choice(plan_items)
            out.append((at, user, report_id, "item", it[0], "note", None, None, None, None, None,
                        f"{day.month}月{day.day}日召开推进会", None, None))  # fmt: skip
    while len(out) < count:  # skipped no-op changes are made up with notes, keeping the total exact
        it = rng.choice(plan_items)
        out.append((f"{plan_year}-12-20T09:00:00.000000Z", rng.choice(STAFF), report_id, "item", it[0], "note",
                    None, None, None, None, None, "年终小结", None, None))  # fmt: skip
    return out
