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


def _columns(names: str) -> list[str]:
    return names.split()


# the columns each generated row fills, in order (rows are lists in this order)
ITEM_COLUMNS = _columns(
    "id report_id part section section_title title text start kind position due_text missing "
    "status owner co_owner due updated_at updated_by"
)
METRIC_COLUMNS = _columns(
    "id report_id item_id part kind value value_max unit approx bound redacted activity quote start "
    "position missing filled_value progress verified"
)
EVENT_COLUMNS = _columns(
    "at user report_id target_type target_id action field before after amount date note evidence undoes"
)
SECTION_COLUMNS = _columns("id report_id part number level title start position")
REPORT_COLUMNS = _columns(
    "id org title review_year plan_year report_date filename content_hash text imported_at imported_by"
)
STATUS, OWNER, UPDATED_AT, UPDATED_BY = (
    ITEM_COLUMNS.index(c) for c in ("status", "owner", "updated_at", "updated_by")
)
PROGRESS = METRIC_COLUMNS.index("progress")


def _event(at: str, user: str, report_id: str, target: tuple[str, str], action: str, **kw) -> tuple:
    """One generated event row in EVENT_COLUMNS order; `target` is (type, id), `kw` the other columns."""
    row = {"at": at, "user": user, "report_id": report_id, "target_type": target[0], "target_id": target[1]}
    row |= {"action": action, **kw}
    return tuple(row.get(c) for c in EVENT_COLUMNS)


def _change(before: str, after: str) -> dict:
    return {"before": json.dumps(before, ensure_ascii=False), "after": json.dumps(after, ensure_ascii=False)}


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


def generate(
    path: str | Path,
    orgs: int = 250,
    years: int = 4,
    items_per_report: int = 100,
    events_per_report: int = 1000,
    first_plan_year: int = 2020,
    seed: int = 8,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
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
            section_id = store.stable_id(report_id, part, 1, s, title)
            sections.append((section_id, report_id, part, s, 1, title, 0, len(sections)))
            lines.append(f"{'一二三四五'[s - 1]}、{title}")
            for k in range(count // 5 + (1 if s <= count % 5 else 0)):
                heading = f"{rng.choice(VERBS)}{rng.choice(THINGS)}"
                text = f"{heading}。围绕{rng.choice(THINGS)}，{rng.choice(VERBS)}{rng.choice(THINGS)}。"
                lines.append(text)
                item_id = store.stable_id(report_id, part, s, heading, k)
                due = None
                if part == PLAN:
                    due = f"{plan_year}-06-30" if rng.random() < 0.2 else f"{plan_year}-12-31"
                doc = [item_id, report_id, part, s, title, heading, text, 0, "lead", len(items), due, 0]
                items.append(doc + [Status.NOT_STARTED, "", "", due, None, None])
    plan_items = [it for it in items if it[2] == PLAN]
    metrics = []
    for g, (activity, unit) in enumerate(GOALS):
        target = float(rng.choice((2, 5, 10, 12, 20, 50, 100)))
        item = plan_items[g * len(plan_items) // len(GOALS)]
        metric_id = store.stable_id(report_id, PLAN, activity, unit, "target", 1)
        bound = Bound.MIN if g % 3 == 0 else None
        doc = [metric_id, report_id, item[0], PLAN, "target", target, None, unit, 0, bound, 0, activity]
        metrics.append(doc + [f"{activity}{target:g}{unit}", 0, len(metrics), 0, None, 0.0, 0.0])
    for a, activity in enumerate(ACTIVITIES):
        redacted = rng.random() < 0.3
        value = None if redacted else float(rng.randint(3, 400))
        quote = f"{activity}{'***' if redacted else f'{value:g}'}{UNITS[a]}"
        metric_id = store.stable_id(report_id, REVIEW, activity, UNITS[a], "count", 1)
        doc = [metric_id, report_id, None, REVIEW, "count", value, None, UNITS[a], 0, None, int(redacted)]
        metrics.append(doc + [activity, quote, 0, len(metrics), 0, None, 0.0, 0.0])
    text = "\n".join(lines + [m[12] + "。" for m in metrics])
    years = (plan_year - 1, plan_year, f"{plan_year}-01-15")
    source = (f"{org}-{plan_year}.txt", store.stable_id(text), text, imported, store.SYSTEM_USER)
    store.bulk_insert(db, "reports", REPORT_COLUMNS, [(report_id, org, f"{org}工作报告", *years, *source)])
    store.bulk_insert(db, "sections", SECTION_COLUMNS, sections)
    found = json.dumps({"items": len(items), "metrics": len(metrics)})
    events = [_event(imported, store.SYSTEM_USER, report_id, ("report", report_id), "import", after=found)]
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
        who = (at, user, report_id)
        roll = rng.random()
        if roll < 0.5:  # an activity logged against a review category
            m = rng.choice(reviews)
            amount = float(rng.randint(1, 3))
            out.append(
                _event(
                    *who, ("metric", m[0]), "activity", amount=amount, date=day.isoformat(), note="登记活动"
                )
            )
        elif roll < 0.75:  # progress on a numeric goal
            m = rng.choice(goals)
            amount = float(rng.randint(1, 2))
            m[PROGRESS] += amount
            out.append(
                _event(
                    *who, ("metric", m[0]), "progress", amount=amount, date=day.isoformat(), note="填报进度"
                )
            )
        elif roll < 0.9:  # a commitment moves on
            it = rng.choice(plan_items)
            before, after = it[STATUS], STATUS_STEPS[rng.randrange(len(STATUS_STEPS))]
            if before == after:
                continue
            it[STATUS], it[UPDATED_AT], it[UPDATED_BY] = after, at, user
            out.append(_event(*who, ("item", it[0]), "status", field="status", **_change(before, after)))
        elif roll < 0.95:  # an owner is named
            it = rng.choice(plan_items)
            before, after = it[OWNER], rng.choice(owners)
            if before == after:
                continue
            it[OWNER], it[UPDATED_AT], it[UPDATED_BY] = after, at, user
            out.append(_event(*who, ("item", it[0]), "owner", field="owner", **_change(before, after)))
        else:
            it = rng.choice(plan_items)
            out.append(_event(*who, ("item", it[0]), "note", note=f"{day.month}月{day.day}日召开推进会"))
    while len(out) < count:  # skipped no-op changes are made up with notes, keeping the total exact
        it = rng.choice(plan_items)
        at = f"{plan_year}-12-20T09:00:00.000000Z"
        out.append(_event(at, rng.choice(STAFF), report_id, ("item", it[0]), "note", note="年终小结"))
    return out
