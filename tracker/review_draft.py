"""The draft of next year's 工作回顾: the counts logged in this report's plan year, written in the
review's own wording, then where the plan stands (plain text; `export.FORMATS["draft"]`)."""

from __future__ import annotations

import re
from datetime import date

from tracker import dates, progress, store
from tracker.model import PLAN, REVIEW, Status


def cn_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (section numbers)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


_NUMBER = r"(?:约|近)?(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+|[*＊×]+)(?:余|多)?"
_OPENERS = ("全年", "年内", "共", "累计")


def phrase(quote: str, activity: str, unit: str, value: float) -> str:
    """The review's clause with a new number: ("全年开展集中学习、主题党日等活动39次", "开展集中学习、
    主题党日等活动", "次", 42) -> "开展集中学习、主题党日等活动42次". The number logged is exact, so
    approximate markers (余/多/约/近) go; a clause whose number comes first is kept whole."""
    number = f"{progress.fmt_number(float(value))}{unit}"
    matches = list(re.finditer(_NUMBER + re.escape(unit), quote))
    pos = quote.rfind(activity) if activity else -1
    if pos >= 0:
        end = pos + len(activity)
        after = [m for m in matches if 0 <= m.start() - end <= 2]
        if after:
            m = after[0]
            return activity + quote[end : m.start()] + number + quote[m.end() :]
    if not matches:
        return f"{activity}{number}"
    m = matches[-1] if pos < 0 else min(matches, key=lambda m: abs(m.end() - pos))
    return quote[: m.start()] + number + quote[m.end() :]


def _sentence(phrases: list[str]) -> str:
    first = phrases[0] if phrases[0].startswith(_OPENERS) else "全年" + phrases[0]
    return "，".join([first, *phrases[1:]]) + "。"


def draft_text(
    report: dict,
    sections: list[dict],
    items: list[dict],
    metrics: list[dict],
    logged: dict[str, float],
    today: date | None = None,
) -> str:
    """The year-end draft from rows: logged counts by review section, then the plan's state."""
    year = report["plan_year"]
    section_of = {it["id"]: it["section"] for it in items}
    titles = {(s["part"], s["number"]): s["title"] for s in sections if s["level"] == 1}
    by_section: dict[int, list[str]] = {}
    unlogged = []
    for m in metrics:
        if m["part"] != REVIEW:
            continue
        count = logged.get(m["id"])
        if not count:
            unlogged.append(f"{m['activity'] or m['quote']}（{m['unit']}）")
            continue
        section = section_of.get(m["item_id"], 0)
        by_section.setdefault(section, []).append(phrase(m["quote"], m["activity"], m["unit"], count))
    lines = [
        f"{year or ''}年工作回顾（草稿）".lstrip("年"),
        f"根据本系统登记的{year or '本'}年活动数量生成（截至{(today or dates.today()).isoformat()}），"
        "请核实、补充后修改使用。",
        "",
    ]
    if not by_section:
        lines += ["今年还没有登记任何活动数量。", ""]
    for section in sorted(by_section, key=lambda s: (s == 0, s)):
        title = titles.get((REVIEW, section))
        lines.append(f"{cn_numeral(section)}、{title}" if section and title else "其他")
        lines += [_sentence(by_section[section]), ""]
    if unlogged:
        lines += ["以下类别今年没有登记数量，请核实是否开展：" + "、".join(unlogged), ""]
    lines += _plan_lines(items, metrics, titles)
    return "\n".join(lines).rstrip() + "\n"


def _plan_lines(items: list[dict], metrics: list[dict], titles: dict) -> list[str]:
    """The plan part of the draft: what is done and where each numeric goal stands, by section."""
    plan = [it for it in items if it["part"] == PLAN]
    if not plan:
        return []
    lines = ["附：工作安排落实情况（供参考）"]
    goals_by_item: dict[str, list[dict]] = {}
    for g in metrics:
        if g["part"] == PLAN and g["item_id"]:
            goals_by_item.setdefault(g["item_id"], []).append(g)
    for section in sorted({it["section"] for it in plan}):
        rows = [it for it in plan if it["section"] == section]
        done = [it["title"] for it in rows if it["status"] == Status.DONE]
        goal_text = []
        for it in rows:
            for g in goals_by_item.get(it["id"], []):
                target = (
                    f"{progress.fmt_number(g['value'])}{g['unit']}" if g["value"] is not None else "未公开"
                )
                goal_text.append(
                    f"{phrase(g['quote'], g['activity'], g['unit'], g['progress'])}（年度目标{target}）"
                )
        title = titles.get((PLAN, section))
        lines.append(f"{cn_numeral(section)}、{title}" if section and title else "其他")
        lines.append(f"已完成{len(done)}/{len(rows)}项" + (f"：{'、'.join(done)}。" if done else "。"))
        if goal_text:
            lines.append("；".join(goal_text) + "。")
    return lines


def draft(db: store.Database, report_id: str, today: date | None = None) -> str:
    """Next year's review draft: the counts logged in this report's plan year, written as a review.

    Statuses, goal figures and counts are the report's snapshot at `today` (service.overview), so the
    draft says what the 总览 says at that date."""
    from tracker import service

    report = store.get_report(db, report_id)
    ov = service.overview(db, report_id, today or service.default_as_of(report["plan_year"]))
    status = dict(zip(ov.items["id"], ov.items["status"], strict=True))
    figure = {
        g: p for g, p in zip(ov.goals["id"], ov.goals["progress"], strict=True) if p is not None and p == p
    }
    items = [
        {**it, "status": status.get(it["id"], it["status"])} for it in store.report_items(db, report_id, None)
    ]
    metrics = [
        m if m["part"] != PLAN else {**m, "progress": figure[m["id"]]}
        for m in store.report_metrics(db, report_id)
        if m["part"] != PLAN or m["id"] in figure  # a level goal with nothing reported says nothing
    ]
    logged = {r.id: r.this_year for r in ov.yoy.itertuples() if r.this_year}
    return draft_text(report, store.report_sections(db, report_id), items, metrics, logged, today)
